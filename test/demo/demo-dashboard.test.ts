// `mcp-acp demo --dashboard`: after the tour the demo starts the manager, prints a one-time
// dashboard link, waits for a dashboard, holds one write for approval, reports the person's
// decision and keeps running until Ctrl-C, when it stops the manager too. A dashboard-like
// subscriber on api.sock stands in for the browser (the browser itself: test/web).
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ApprovalAction } from "../../lib/gen/mcpacp/common/v1/approval_pb.ts";
import { EventType } from "../../lib/gen/mcpacp/common/v1/event_pb.ts";
import { ApprovalService } from "../../lib/gen/mcpacp/api/v1/approval_service_pb.ts";
import { EventService } from "../../lib/gen/mcpacp/api/v1/event_service_pb.ts";
import { apiSocketPath, resolveAppPaths } from "../../lib/paths/index.ts";
import { readManagerStatus } from "../../services/manager/index.ts";
import { CLI_ENTRY, REPO_ROOT } from "../helpers/index.ts";
import { socketClient, until } from "../manager-e2e/support.ts";
import { LineReader } from "../relay/support.ts";

const home = mkdtempSync(join(tmpdir(), "mcp-acp-demo-"));
afterAll(() => rmSync(home, { recursive: true, force: true }));

test("the demo holds a write for the dashboard, which approves it; Ctrl-C stops demo and manager", async () => {
  const child = Bun.spawn([process.execPath, CLI_ENTRY, "demo", "--dashboard"], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home, MCP_ACP_HOME: home, NO_COLOR: "1", TMPDIR: tmpdir() },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  try {
    const out = new LineReader(child.stdout);
    const nextMatching = async (pattern: RegExp): Promise<string> => {
      for (;;) {
        const line = await out.next(60_000);
        if (pattern.test(line)) return line;
      }
    };
    const url = (await nextMatching(/^ {2}http:\/\/127\.0\.0\.1:\d+\/\?code=/)).trim();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?code=[A-Za-z0-9_-]+$/);
    await nextMatching(/Waiting for the dashboard to open/);

    const paths = resolveAppPaths({ MCP_ACP_HOME: home });
    const abort = new AbortController();
    const stream = socketClient(EventService, apiSocketPath(paths)).subscribe({}, { signal: abort.signal });
    let approval: { id: string; argumentsDigest: string; policyVersion: string; proxyName: string } | undefined;
    const watching = (async () => {
      try {
        for await (const { event } of stream) {
          if (event?.type === EventType.PENDING_CREATED && event.payload.case === "pendingCreated") {
            const a = event.payload.value.approval;
            if (a !== undefined) approval = { id: a.id, argumentsDigest: a.argumentsDigest, policyVersion: a.policyVersion, proxyName: event.proxyName };
          }
        }
      } catch {
        // aborted
      }
    })();
    await nextMatching(/A write is waiting for your approval: write_file notes\/todo\.md/);
    await until(() => approval !== undefined, "the pending write on the feed", 15_000);
    await socketClient(ApprovalService, apiSocketPath(paths)).resolvePending({
      proxy: approval?.proxyName ?? "",
      approvalId: approval?.id ?? "",
      action: ApprovalAction.ALLOW_ONCE,
      expectedArgumentsDigest: approval?.argumentsDigest ?? "",
      expectedPolicyVersion: approval?.policyVersion ?? "",
    });
    await nextMatching(/Approved: the backend wrote notes\/todo\.md/);
    expect(readFileSync(join(home, "demo-sandbox", "notes", "todo.md"), "utf8")).toBe("- buy milk\n");
    await nextMatching(/Press Ctrl-C to stop the demo/);
    abort.abort();
    await watching;

    child.kill("SIGINT");
    expect(await child.exited).toBe(0);
    expect((await readManagerStatus(paths)).running).toBe(false);
  } finally {
    if (child.exitCode === null) child.kill("SIGKILL");
  }
}, 120_000);
