// How a pending approval ends other than by a decision, through a real proxy: the timeout
// (hitl.timeout_seconds 5) denies and is audited with the approval id; a resolution made against
// an older policy (a reload in between) is refused as stale; the client cancelling the request
// (notifications/cancelled) withdraws the approval; a proxy stopping withdraws it too.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ApprovalAction, ApprovalChannel } from "../../lib/gen/mcpacp/common/v1/approval_pb.ts";
import { RpcCode, RpcError } from "../../lib/rpc/index.ts";
import { osUsername } from "../../services/proxy/runtime/os-user.ts";
import { HIGH_LIMITS } from "../audit/support.ts";
import { BUN, ECHO_SERVER, eventually, type PolicyRuleInput, ProxyHome, type RawProxy, toolCall } from "../proxy/support.ts";
import { controlClient, decisionFor, isErrorReply, replyText, startedProxy, Watcher } from "./support.ts";

const NAME = "ends";
const RULES: PolicyRuleInput[] = [{ id: "ask-echo", effect: "hitl", conditions: { tool_name: "echo" } }];
let home: ProxyHome;
let proxy: RawProxy;

beforeAll(async () => {
  home = await ProxyHome.create();
  home.addStdioProxy(NAME, BUN, [ECHO_SERVER], {
    limits: HIGH_LIMITS,
    hitl: { timeout_seconds: 5, default_on_timeout: "deny", approval_ttl_seconds: 600 },
  });
  home.writePolicy(NAME, RULES);
  proxy = await startedProxy(home, NAME);
}, 30_000);

afterAll(async () => {
  await home.remove();
});

describe("pending approvals that end without a decision", () => {
  test("nobody decides within hitl.timeout_seconds: denied, the watcher sees it expire, audited with the approval id", async () => {
    const watcher = await Watcher.start(home, NAME);
    await proxy.send(toolCall(1, "echo", { text: "too slow" }));
    const pending = await watcher.nextPending();
    expect(pending.timeout_seconds).toBe(5);
    const reply = await proxy.next(20_000);
    expect(reply.id).toBe(1);
    expect(isErrorReply(reply)).toBe(true);
    expect(replyText(reply)).toBe("Approval timed out; the request was denied: tools/call");
    expect(await watcher.next()).toMatchObject({ event: "expired", expiry: { approval_id: pending.id, outcome: "APPROVAL_OUTCOME_TIMED_OUT" } });
    const record = decisionFor(home, NAME, 1);
    expect(record).toMatchObject({ decision: "hitl", hitl_outcome: "timeout", approval_id: pending.id, final_rule: "ask-echo" });
    expect(record?.hitl_approver_id).toBeUndefined();
    expect(record?.policy_hitl_ms).toBeGreaterThan(0);

    const late = await home.run(["approvals", "approve", pending.id]);
    expect(late.exitCode).toBe(1);
    expect(late.stderr).toContain(`No pending approval with id ${pending.id}`);
    await watcher.stop();
  }, 40_000);

  test("an approval made under an older policy cannot be allowed after a reload (stale); deny still works", async () => {
    const watcher = await Watcher.start(home, NAME);
    const client = await controlClient(home, NAME);
    await proxy.send(toolCall(2, "echo", { text: "policy changes meanwhile" }));
    const pending = await watcher.nextPending();

    home.writePolicy(NAME, [...RULES, { id: "allow-progress", effect: "allow", conditions: { tool_name: "progress" } }]);
    const reloaded = await client.reloadPolicy({});
    expect(reloaded.result?.policyVersion).not.toBe(pending.policy_version);

    // Exactly what the approver was shown, so only the policy change can make it stale.
    const refused = await client
      .resolvePending({
        approvalId: pending.id,
        action: ApprovalAction.ALLOW_ONCE,
        approver: { subjectId: osUsername(), channel: ApprovalChannel.CLI },
        expectedArgumentsDigest: pending.arguments_digest,
        expectedPolicyVersion: pending.policy_version,
      })
      .then(
        () => null,
        (error: unknown) => error,
      );
    expect(refused).toBeInstanceOf(RpcError);
    expect((refused as RpcError).code).toBe(RpcCode.FAILED_PRECONDITION);
    expect((refused as RpcError).message).toContain("policy in force is now");

    const cli = await home.run(["approvals", "approve", pending.id]);
    expect(cli.exitCode).toBe(1);
    expect(cli.stderr).toContain("refused as stale");

    expect((await home.run(["approvals", "deny", pending.id])).exitCode).toBe(0);
    expect(replyText(await proxy.next())).toBe("Denied by a human approver: tools/call");
    expect(decisionFor(home, NAME, 2)).toMatchObject({ hitl_outcome: "user_denied", approval_id: pending.id });
    await watcher.stop();
  }, 40_000);

  test("the client cancelling the request withdraws the pending approval", async () => {
    const watcher = await Watcher.start(home, NAME);
    const client = await controlClient(home, NAME);
    await proxy.send(toolCall(3, "echo", { text: "never mind" }));
    const pending = await watcher.nextPending();
    await proxy.send({ jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: 3, reason: "user pressed stop" } });
    expect(await watcher.next()).toMatchObject({ event: "cancelled", expiry: { approval_id: pending.id, outcome: "APPROVAL_OUTCOME_CANCELLED", reason: "request_cancelled" } });
    expect((await client.listPending({})).approvals).toEqual([]);
    await eventually(() => decisionFor(home, NAME, 3) !== undefined, "the withdrawn request's decision record");
    expect(decisionFor(home, NAME, 3)).toMatchObject({ decision: "hitl", hitl_outcome: "cancelled", approval_id: pending.id });

    const late = await home.run(["approvals", "approve", pending.id]);
    expect(late.exitCode).toBe(1);

    // The cancelled request is never answered; the next one is.
    await proxy.send(toolCall(4, "progress", { steps: 0 }));
    const next = await proxy.next();
    expect(next.id).toBe(4);
    await watcher.stop();
  }, 40_000);

  test("a proxy that stops withdraws its pending approvals (cancelled, audited)", async () => {
    const watcher = await Watcher.start(home, NAME);
    await proxy.send(toolCall(5, "echo", { text: "held at shutdown" }));
    const pending = await watcher.nextPending();
    proxy.closeStdin();
    expect(await proxy.proc.exited).toBe(0);
    expect(await watcher.next()).toMatchObject({ event: "cancelled", expiry: { approval_id: pending.id } });
    expect(decisionFor(home, NAME, 5)).toMatchObject({ decision: "hitl", hitl_outcome: "cancelled", approval_id: pending.id });
    await watcher.kill();
  }, 40_000);
});
