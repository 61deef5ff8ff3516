#!/usr/bin/env bun
// Approval latency to the dashboard: a real proxy holds a hitl tools/call; time from the
// approval's created_at (stamped by the proxy when it emits the approval) to the moment the item
// is in the open drawer of a headless chromium tab (DOM insertion, and the next animation frame
// as "painted"). Path: proxy → ManagerLink → manager event hub → Connect stream → SolidJS store
// → DOM. Each approval is denied through the API before the next. Prints one JSON line on stdout.
import { ApprovalService } from "../lib/gen/mcpacp/api/v1/approval_service_pb.ts";
import { ApprovalAction } from "../lib/gen/mcpacp/common/v1/approval_pb.ts";
import { ensureDashboardBuilt } from "../test/web/build.ts";
import { launchChromium, openDashboard } from "../test/web/browser.ts";
import { approvalItem, openDrawer, waitForApprover } from "../test/web/dashboard-ui.ts";
import { WebStack } from "../test/web/stack.ts";
import { logger, percentiles, round } from "./_proxy-support.ts";

const SAMPLES = Number(process.env.BENCH_APPROVAL_SAMPLES ?? 50);
const WARMUP = 3;
const log = logger("dashboard-approval-latency");

/** Wall-clock time (ms, sub-ms precision) at which each approval item entered the DOM, and the next frame. */
const DRAWER_PROBE = `(() => {
  window.__acpSeen = [];
  const known = new Set();
  const observer = new MutationObserver(() => {
    const now = performance.timeOrigin + performance.now();
    for (const el of document.querySelectorAll('[data-testid="approval-item"]')) {
      const id = el.getAttribute("data-approval-id");
      if (id === null || known.has(id)) continue;
      known.add(id);
      const entry = { id, insertedAt: now, paintedAt: null };
      window.__acpSeen.push(entry);
      requestAnimationFrame(() => { entry.paintedAt = performance.timeOrigin + performance.now(); });
    }
  });
  observer.observe(document, { childList: true, subtree: true });
})();`;

interface Seen {
  id: string;
  insertedAt: number;
  paintedAt: number | null;
}

await ensureDashboardBuilt();
const stack = await WebStack.create([{ name: "echo", backend: "echo", hitlTimeoutSeconds: 300 }]);
const launched = await launchChromium();
try {
  await stack.startManager();
  await stack.startProxy("echo");
  const tab = await openDashboard(launched.browser, stack.baseUrl, await stack.loginUrl(), { initScripts: [DRAWER_PROBE] });
  const { page } = tab;
  await waitForApprover(stack, "echo");
  await openDrawer(page);
  const approvals = stack.api(ApprovalService);

  const emitToDom: number[] = [];
  const emitToPaint: number[] = [];
  const callToDom: number[] = [];
  for (let i = 0; i < WARMUP + SAMPLES; i++) {
    const sentAt = Date.now();
    const call = stack.callTool("echo", "echo", { text: `latency sample ${i}` });
    const seen = (await (
      await page.waitForFunction(
        (n) => {
          const list = (window as unknown as { __acpSeen: Seen[] }).__acpSeen;
          const entry = list[n];
          return entry !== undefined && entry.paintedAt !== null ? entry : false;
        },
        i,
        { timeout: 30_000 },
      )
    ).jsonValue()) as Seen;
    const pending = (await approvals.listPending({ proxy: "echo" })).approvals.find((a) => a.id === seen.id);
    if (pending === undefined || pending.createdAt === undefined) throw new Error(`approval ${seen.id} shown in the drawer is not pending in the API`);
    const createdAt = Number(pending.createdAt.seconds) * 1000 + pending.createdAt.nanos / 1e6;
    await approvals.resolvePending({
      proxy: "echo",
      approvalId: pending.id,
      action: ApprovalAction.DENY,
      expectedArgumentsDigest: pending.argumentsDigest,
      expectedPolicyVersion: pending.policyVersion,
    });
    await call.reply;
    await approvalItem(page, seen.id).waitFor({ state: "hidden", timeout: 30_000 });
    if (i < WARMUP) continue;
    emitToDom.push(seen.insertedAt - createdAt);
    emitToPaint.push((seen.paintedAt ?? seen.insertedAt) - createdAt);
    callToDom.push(seen.insertedAt - sentAt);
    if ((i - WARMUP + 1) % 10 === 0) log(`${i - WARMUP + 1}/${SAMPLES}: last ${round(seen.insertedAt - createdAt, 1)} ms`);
  }
  await tab.close();

  const emit = percentiles(emitToDom);
  process.stdout.write(
    `${JSON.stringify({
      bench: "dashboard-approval-latency",
      unit: "ms",
      samples: SAMPLES,
      path: "proxy created_at → ManagerLink → manager → Connect stream → chromium drawer",
      emit_to_drawer: { ...emit, max_ms: round(Math.max(...emitToDom)) },
      emit_to_next_frame: percentiles(emitToPaint),
      client_call_to_drawer: percentiles(callToDom),
      target: "emit_to_drawer p50 ≤ 100 ms",
      meets_target: emit.p50_ms <= 100,
    })}\n`,
  );
} finally {
  await launched.close();
  await stack.close();
}
