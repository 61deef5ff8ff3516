// Human approval through a real proxy: without an approver a hitl call is refused at once; with
// `mcp-acp approvals watch` attached it waits, shows up in the watcher, and `approvals approve` /
// `approvals deny` decide it. Every outcome is in decisions.jsonl with the approver and approval id.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ApprovalAction, ApprovalChannel } from "../../lib/gen/mcpacp/common/v1/approval_pb.ts";
import { osUsername } from "../../services/proxy/runtime/os-user.ts";
import { HIGH_LIMITS } from "../audit/support.ts";
import { BUN, ECHO_SERVER, ProxyHome, type RawProxy, toolCall } from "../proxy/support.ts";
import { call, controlClient, decisionFor, isErrorReply, replyText, startedProxy, Watcher } from "./support.ts";

const NAME = "ask";
let home: ProxyHome;
let proxy: RawProxy;

beforeAll(async () => {
  home = await ProxyHome.create();
  home.addStdioProxy(NAME, BUN, [ECHO_SERVER], { limits: HIGH_LIMITS });
  home.writePolicy(NAME, [
    { id: "ask-echo", effect: "hitl", conditions: { tool_name: "echo" } },
    { id: "allow-progress", effect: "allow", conditions: { tool_name: "progress" } },
  ]);
  proxy = await startedProxy(home, NAME);
}, 30_000);

afterAll(async () => {
  await home.remove();
});

describe("HITL through a real proxy", () => {
  test("with no approver reachable, a hitl call is refused at once (no_approver) and not forwarded", async () => {
    const reply = await call(proxy, toolCall(1, "echo", { text: "nobody is watching" }));
    expect(reply.id).toBe(1);
    expect(isErrorReply(reply)).toBe(true);
    expect(replyText(reply)).toBe("Approval required but no approver is available: tools/call");
    expect(JSON.stringify(reply)).not.toContain("nobody is watching");
    expect(decisionFor(home, NAME, 1)).toMatchObject({ decision: "hitl", hitl_outcome: "no_approver", hitl_cache_hit: false, final_rule: "ask-echo" });
    expect(decisionFor(home, NAME, 1)?.approval_id).toBeUndefined();
  });

  test("with a watcher attached the call waits; approve lets it through and the backend's result reaches the client", async () => {
    const watcher = await Watcher.start(home, NAME);
    const client = await controlClient(home, NAME);
    expect((await client.getInfo({})).info?.approverAvailable).toBe(true);
    await proxy.send(toolCall(2, "echo", { text: "please approve me" }));
    const pending = await watcher.nextPending();
    expect(pending).toMatchObject({ tool_name: "echo", subject_id: osUsername(), matched_rule_id: "ask-echo", can_cache: false });
    expect(JSON.stringify(pending.arguments_preview)).toContain("please approve me");

    const approve = await home.run(["approvals", "approve", pending.id]);
    expect(approve.stderr).toBe("");
    expect(approve.exitCode).toBe(0);
    const reply = await proxy.next();
    expect(reply.id).toBe(2);
    expect(isErrorReply(reply)).toBe(false);
    expect(replyText(reply)).toBe("please approve me");
    expect(await watcher.next()).toMatchObject({ event: "resolved", resolution: { approval_id: pending.id, outcome: "APPROVAL_OUTCOME_ALLOWED_ONCE" } });
    expect(decisionFor(home, NAME, 2)).toMatchObject({
      decision: "hitl",
      hitl_outcome: "user_allowed",
      hitl_cache_hit: false,
      hitl_approver_id: osUsername(),
      approval_id: pending.id,
    });
    await watcher.stop();
  }, 40_000);

  test("deny refuses the call with a kind-only message naming no rule", async () => {
    const watcher = await Watcher.start(home, NAME);
    await proxy.send(toolCall(3, "echo", { text: "deny me" }));
    const pending = await watcher.nextPending();
    const deny = await home.run(["approvals", "deny", pending.id]);
    expect(deny.exitCode).toBe(0);
    const reply = await proxy.next();
    expect(reply.id).toBe(3);
    expect(isErrorReply(reply)).toBe(true);
    expect(replyText(reply)).toBe("Denied by a human approver: tools/call");
    expect(JSON.stringify(reply)).not.toContain("ask-echo");
    expect(decisionFor(home, NAME, 3)).toMatchObject({ decision: "hitl", hitl_outcome: "user_denied", hitl_approver_id: osUsername(), approval_id: pending.id });
    await watcher.stop();
  }, 40_000);

  test("once the watcher has left, hitl calls are refused at once again", async () => {
    const reply = await call(proxy, toolCall(4, "echo", { text: "watcher gone" }));
    expect(replyText(reply)).toBe("Approval required but no approver is available: tools/call");
  });

  test("resolving as another user is refused (PERMISSION_DENIED) and the call keeps waiting", async () => {
    const watcher = await Watcher.start(home, NAME);
    const client = await controlClient(home, NAME);
    await proxy.send(toolCall(5, "echo", { text: "mine alone" }));
    const pending = await watcher.nextPending();
    const refused = await client
      .resolvePending({ approvalId: pending.id, action: ApprovalAction.ALLOW_ONCE, approver: { subjectId: `${osUsername()}-other`, channel: ApprovalChannel.CLI } })
      .then(() => "resolved", (error: unknown) => String(error));
    expect(refused).toContain("may not resolve");
    expect((await client.listPending({})).approvals.map((a) => a.id)).toEqual([pending.id]);
    expect((await home.run(["approvals", "deny", pending.id])).exitCode).toBe(0);
    expect(replyText(await proxy.next())).toBe("Denied by a human approver: tools/call");
    await watcher.stop();
  }, 40_000);
});
