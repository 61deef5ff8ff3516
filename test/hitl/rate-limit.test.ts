// A loop-limit breach asks a human (spec policy.md §9.2): with a watcher the over-limit call
// waits as an approval of rule rate_limit_breach (never cacheable); approved, the tool's window
// starts afresh and the call goes on to normal evaluation; with nobody to ask it is refused.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { DEFAULT_LIMITS } from "../../lib/config/index.ts";
import { BUN, ECHO_SERVER, ProxyHome, type RawProxy, toolCall } from "../proxy/support.ts";
import { call, decisions, isErrorReply, replyText, startedProxy, Watcher } from "./support.ts";

const NAME = "loop";
let home: ProxyHome;
let proxy: RawProxy;

beforeAll(async () => {
  home = await ProxyHome.create();
  home.addStdioProxy(NAME, BUN, [ECHO_SERVER], {
    limits: { ...DEFAULT_LIMITS, requests_per_second: 100_000, burst: 100_000, tool_calls_per_window: 2, tool_window_seconds: 600 },
  });
  home.writePolicy(NAME, [{ id: "allow-echo", effect: "allow", conditions: { tool_name: "echo" } }]);
  proxy = await startedProxy(home, NAME);
}, 30_000);

afterAll(async () => {
  await home.remove();
});

describe("loop-limit breach", () => {
  test("with nobody to ask, the call over the limit is refused as rate limited", async () => {
    for (const id of [1, 2]) expect(replyText(await call(proxy, toolCall(id, "echo", { text: `call ${id}` })))).toBe(`call ${id}`);
    const reply = await call(proxy, toolCall(3, "echo", { text: "one too many" }));
    expect(isErrorReply(reply)).toBe(true);
    expect(replyText(reply)).toContain("Rate limit");
    expect(decisions(home, NAME).findLast((r) => r.request_id === "3")).toMatchObject({ decision: "deny", final_rule: "rate_limit_breach", hitl_outcome: "no_approver" });
  });

  test("with a watcher the breach waits for a person; approved, the call is evaluated and forwarded", async () => {
    const watcher = await Watcher.start(home, NAME);
    await proxy.send(toolCall(4, "echo", { text: "let me through" }));
    const pending = await watcher.nextPending();
    expect(pending).toMatchObject({ tool_name: "echo", matched_rule_id: "rate_limit_breach", can_cache: false });
    expect(JSON.stringify(pending)).not.toContain("let me through");
    expect((await home.run(["approvals", "approve", pending.id])).exitCode).toBe(0);
    const reply = await proxy.next();
    expect(reply.id).toBe(4);
    expect(replyText(reply)).toBe("let me through");
    const records = decisions(home, NAME).filter((r) => r.request_id === "4");
    expect(records.map((r) => [r.decision, r.final_rule])).toEqual([
      ["hitl", "rate_limit_breach"],
      ["allow", "allow-echo"],
    ]);
    expect(records[0]).toMatchObject({ hitl_outcome: "user_allowed", approval_id: pending.id });
    // The window started afresh: the next call needs no approval.
    expect(replyText(await call(proxy, toolCall(5, "echo", { text: "and again" })))).toBe("and again");
    await watcher.stop();
  }, 40_000);
});
