// The approvals commands against a real running proxy: a HITL request waits while
// `approvals watch` is connected, `approvals list` shows it, `approvals approve` lets it through.
// The same commands are covered against a fixture control server in approvals.test.ts and
// approvals-watch.test.ts; test/hitl covers the proxy's side in depth.
import { afterAll, describe, expect, test } from "bun:test";
import { osUsername } from "../../services/proxy/runtime/os-user.ts";
import { CLI_ENTRY, REPO_ROOT } from "../helpers/index.ts";
import { BUN, ECHO_SERVER, ProxyHome, toolCall } from "../proxy/support.ts";
import { LineReader } from "../relay/support.ts";

const home = await ProxyHome.create();
home.addStdioProxy("rp", BUN, [ECHO_SERVER]);
home.writePolicy("rp", [{ id: "ask-echo", effect: "hitl", conditions: { tool_name: "echo" } }]);
const proxy = home.spawnProxy("rp");
await proxy.initialize();
await home.waitForControlSocket("rp");

afterAll(() => home.remove());

describe("approvals against a real proxy", () => {
  test("watch makes a HITL request wait; list shows it; approve lets it through", async () => {
    const watch = Bun.spawn([process.execPath, CLI_ENTRY, "approvals", "watch", "--proxy", "rp"], {
      cwd: REPO_ROOT,
      env: home.env(),
      stdin: "ignore",
      stdout: "pipe",
      stderr: "pipe",
    });
    home.defer(() => watch.kill("SIGKILL"));
    const out = new LineReader(watch.stdout);
    const err = new LineReader(watch.stderr);
    expect(await err.next(15_000)).toBe("Watching proxy 'rp' for approvals (Ctrl-C to stop).");

    await proxy.send(toolCall(7, "echo", { text: "needs a human" }));
    const pending = JSON.parse(await out.next(15_000)) as { event: string; approval: { id: string; tool_name: string; subject_id: string } };
    expect(pending).toMatchObject({ event: "pending", proxy: "rp", approval: { tool_name: "echo", subject_id: osUsername() } });

    const list = await home.run(["approvals", "list", "--json"]);
    expect(list.exitCode).toBe(0);
    expect((JSON.parse(list.stdout) as { approvals: { id: string }[] }).approvals.map((a) => a.id)).toEqual([pending.approval.id]);

    const approve = await home.run(["approvals", "approve", pending.approval.id]);
    expect(approve.exitCode).toBe(0);
    expect(approve.stdout).toBe(`✓ Allowed once: echo on proxy 'rp' (${pending.approval.id})\n`);

    const reply = await proxy.next(15_000);
    expect(reply.id).toBe(7);
    expect(JSON.stringify(reply)).toContain("needs a human");
    expect(JSON.stringify(reply)).not.toContain("Policy denied");
    expect(JSON.parse(await out.next())).toMatchObject({ event: "resolved", resolution: { approval_id: pending.approval.id, outcome: "APPROVAL_OUTCOME_ALLOWED_ONCE" } });

    watch.kill("SIGINT");
    expect(await watch.exited).toBe(0);
  }, 40_000);
});
