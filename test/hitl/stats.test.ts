// GetStats and GetSnapshot of a real proxy: counters by decision (a hitl request counts once,
// whatever its outcome) with total ≥ allowed + denied + hitl, latency windows with samples for
// proxy_total, policy_eval and hitl_wait; the counters restart with the proxy, the latency
// windows survive it (state.db, shared with the audit integrity state).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { ProxyStats } from "../../lib/gen/mcpacp/common/v1/stats_pb.ts";
import { HIGH_LIMITS } from "../audit/support.ts";
import { BUN, ECHO_SERVER, ProxyHome, type RawProxy, toolCall } from "../proxy/support.ts";
import { call, controlClient, replyText, Watcher } from "./support.ts";

const NAME = "stats";
let home: ProxyHome;
let proxy: RawProxy;

beforeAll(async () => {
  home = await ProxyHome.create();
  home.addStdioProxy(NAME, BUN, [ECHO_SERVER], { limits: HIGH_LIMITS });
  home.writePolicy(NAME, [
    { id: "allow-echo", effect: "allow", conditions: { tool_name: "echo" } },
    { id: "deny-big", effect: "deny", conditions: { tool_name: "big" } },
    { id: "ask-progress", effect: "hitl", conditions: { tool_name: "progress" } },
  ]);
  proxy = home.spawnProxy(NAME);
  await proxy.initialize();
}, 30_000);

afterAll(async () => {
  await home.remove();
});

function invariantHolds(stats: ProxyStats): boolean {
  return stats.requestsTotal >= stats.requestsAllowed + stats.requestsDenied + stats.requestsHitl;
}

describe("stats", () => {
  let before: ProxyStats;

  test("counters by decision and latency windows after a mix of calls", async () => {
    await call(proxy, { jsonrpc: "2.0", id: 1, method: "tools/list" });
    for (const id of [2, 3, 4]) expect(replyText(await call(proxy, toolCall(id, "echo", { text: `call ${id}` })))).toBe(`call ${id}`);
    expect(replyText(await call(proxy, toolCall(5, "big", { bytes: 1 })))).toBe("Policy denied: tools/call");
    expect(replyText(await call(proxy, toolCall(6, "progress", { steps: 0 })))).toBe("Approval required but no approver is available: tools/call");

    const watcher = await Watcher.start(home, NAME);
    await proxy.send(toolCall(7, "progress", { steps: 0 }));
    const pending = await watcher.nextPending();
    expect((await home.run(["approvals", "approve", pending.id])).exitCode).toBe(0);
    expect(replyText(await proxy.next())).toBe("progressed 0");
    await watcher.stop();

    const client = await controlClient(home, NAME);
    const stats = (await client.getStats({})).stats;
    if (stats === undefined) throw new Error("GetStats answered without stats");
    // initialize + tools/list + 6 calls; discovery counts only in the total.
    expect(stats.requestsTotal).toBe(8n);
    expect(stats.requestsAllowed).toBe(3n);
    expect(stats.requestsDenied).toBe(1n);
    expect(stats.requestsHitl).toBe(2n);
    expect(invariantHolds(stats)).toBe(true);
    // Allowed calls that needed no human; every evaluation; every HITL outcome.
    expect(stats.proxyLatency?.count).toBe(3n);
    expect(stats.proxyLatency?.p50Ms).toBeGreaterThan(0);
    expect(stats.policyEval?.count).toBe(6n);
    expect(stats.hitlWait?.count).toBe(2n);
    expect(stats.hitlWait?.minMs).toBe(0);
    expect(stats.hitlWait?.maxMs).toBeGreaterThan(0);
    before = stats;
  }, 40_000);

  test("GetSnapshot carries the same stats, the pending list, the cache and the policy version", async () => {
    const client = await controlClient(home, NAME);
    const snapshot = (await client.getSnapshot({})).snapshot;
    expect(snapshot?.pending).toEqual([]);
    expect(snapshot?.cached?.approvals).toEqual([]);
    expect(snapshot?.cached?.ttlSeconds).toBe(600);
    expect(snapshot?.clientId).toBe("raw-e2e");
    expect(snapshot?.policyVersion).toBe((await client.getControlStatus({})).status?.policyVersion ?? "missing");
    expect(snapshot?.stats?.requestsTotal).toBe(before.requestsTotal);
    expect(snapshot?.stats?.policyEval?.count).toBe(before.policyEval?.count);
  });

  test("after a restart the counters start again and the latency windows are still there", async () => {
    proxy.closeStdin();
    expect(await proxy.proc.exited).toBe(0);
    proxy = home.spawnProxy(NAME);
    await proxy.initialize();
    const client = await controlClient(home, NAME);
    const stats = (await client.getStats({})).stats;
    expect(stats?.requestsTotal).toBe(1n);
    expect(stats?.requestsAllowed).toBe(0n);
    expect(stats?.requestsHitl).toBe(0n);
    expect(stats?.proxyLatency).toEqual(before.proxyLatency);
    expect(stats?.policyEval).toEqual(before.policyEval);
    expect(stats?.hitlWait).toEqual(before.hitlWait);

    expect(replyText(await call(proxy, toolCall(8, "echo", { text: "after restart" })))).toBe("after restart");
    const after = (await client.getStats({})).stats;
    expect(after?.proxyLatency?.count).toBe(4n);
    expect(after?.policyEval?.count).toBe(7n);
  }, 40_000);
});
