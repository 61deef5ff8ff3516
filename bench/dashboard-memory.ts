#!/usr/bin/env bun
// Manager memory with dashboards open: resident set size (VmRSS) of the real manager process
// before any tab, after 5 signed-in chromium tabs have loaded, every 5 s while they stay open,
// and at the end. Traffic keeps the event stream busy meanwhile: one allowed call per second on a
// running proxy (stats and log events to every tab) and one approval every 10 s, denied through
// the API. Duration: BENCH_DASHBOARD_SECONDS (default 60; the 10-minute figure is
// BENCH_DASHBOARD_SECONDS=600). Linux only (reads /proc). Prints one JSON line on stdout.
import { readFileSync } from "node:fs";
import { ApprovalService } from "../lib/gen/mcpacp/api/v1/approval_service_pb.ts";
import { ManagerService } from "../lib/gen/mcpacp/api/v1/manager_service_pb.ts";
import { ApprovalAction } from "../lib/gen/mcpacp/common/v1/approval_pb.ts";
import { ensureDashboardBuilt } from "../test/web/build.ts";
import { type DashboardTab, launchChromium, openDashboard } from "../test/web/browser.ts";
import { pendingFor, testId } from "../test/web/dashboard-ui.ts";
import { WebStack } from "../test/web/stack.ts";
import { logger, round } from "./_proxy-support.ts";

const SECONDS = Number(process.env.BENCH_DASHBOARD_SECONDS ?? 60);
const TABS = 5;
const SAMPLE_EVERY_MS = 5_000;
const log = logger("dashboard-memory");

if (process.platform !== "linux") throw new Error("dashboard-memory reads /proc/<pid>/status and runs on Linux only");
if (!Number.isFinite(SECONDS) || SECONDS < 10) throw new Error(`BENCH_DASHBOARD_SECONDS must be a number ≥ 10, got '${process.env.BENCH_DASHBOARD_SECONDS}'`);

function rssMiB(pid: number): number {
  const kb = /^VmRSS:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
  if (kb === undefined) throw new Error(`no VmRSS line in /proc/${pid}/status`);
  return round(Number(kb) / 1024, 1);
}

await ensureDashboardBuilt();
const stack = await WebStack.create([{ name: "echo", backend: "echo", hitlTimeoutSeconds: 300 }]);
const launched = await launchChromium();
const tabs: DashboardTab[] = [];
try {
  await stack.startManager();
  await stack.startProxy("echo");
  const pid = stack.managerPid;
  const before = rssMiB(pid);
  for (let i = 0; i < TABS; i++) {
    const tab = await openDashboard(launched.browser, stack.baseUrl, await stack.loginUrl());
    await testId(tab.page, "proxy-card").first().waitFor({ timeout: 30_000 });
    tabs.push(tab);
  }
  const subscribers = (await stack.api(ManagerService).getStatus({})).subscriberCount;
  const afterTabs = rssMiB(pid);
  log(`before tabs ${before} MiB, after ${TABS} tabs ${afterTabs} MiB, ${subscribers} subscribers; running ${SECONDS} s`);

  const samples: { t_s: number; rss_mib: number }[] = [];
  const started = Date.now();
  let calls = 0;
  let approvals = 0;
  let nextSample = started + SAMPLE_EVERY_MS;
  while (Date.now() - started < SECONDS * 1000) {
    await stack.callTool("echo", "big", { bytes: 256 }).reply;
    calls++;
    if (calls % 10 === 0) {
      const call = stack.callTool("echo", "echo", { text: `memory bench ${calls}` });
      const pending = await pendingFor(stack, "echo", call.id);
      await stack.api(ApprovalService).resolvePending({
        proxy: "echo",
        approvalId: pending.id,
        action: ApprovalAction.DENY,
        expectedArgumentsDigest: pending.argumentsDigest,
        expectedPolicyVersion: pending.policyVersion,
      });
      await call.reply;
      approvals++;
    }
    if (Date.now() >= nextSample) {
      samples.push({ t_s: round((Date.now() - started) / 1000, 1), rss_mib: rssMiB(pid) });
      nextSample += SAMPLE_EVERY_MS;
      if (samples.length % 12 === 0) log(`${samples.at(-1)?.t_s} s: ${samples.at(-1)?.rss_mib} MiB`);
    }
    await Bun.sleep(1000);
  }
  const final = rssMiB(pid);
  const rss = samples.map((s) => s.rss_mib);
  // Growth over the second half: start-up allocations settle in the first.
  const half = samples.filter((s) => s.t_s >= SECONDS / 2);
  const halfGrowth = half.length >= 2 ? round((half.at(-1)?.rss_mib ?? 0) - (half[0]?.rss_mib ?? 0), 1) : null;
  process.stdout.write(
    `${JSON.stringify({
      bench: "dashboard-memory",
      unit: "MiB (VmRSS of the manager process)",
      tabs: TABS,
      seconds: SECONDS,
      event_subscribers: subscribers,
      traffic: { allowed_calls: calls, approvals_denied: approvals },
      rss_before_tabs: before,
      rss_after_tabs: afterTabs,
      rss_max: Math.max(afterTabs, ...rss),
      rss_final: final,
      growth_after_tabs_to_final: round(final - afterTabs, 1),
      growth_second_half: halfGrowth,
      samples,
    })}\n`,
  );
} finally {
  for (const tab of tabs) await tab.close();
  await launched.close();
  await stack.close();
}
