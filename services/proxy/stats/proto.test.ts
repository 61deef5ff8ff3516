import { describe, expect, test } from "bun:test";
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { ProxyStatsSchema } from "../../../lib/gen/mcpacp/common/v1/stats_pb.ts";
import { summarizeLatency } from "./latency-summary.ts";
import { proxyStatsMessage } from "./proto.ts";

describe("proxyStatsMessage", () => {
  test("counters and latency windows; empty windows are zeros", () => {
    const msg = proxyStatsMessage(
      { requestsTotal: 5, allowed: 2, denied: 1, hitl: 1, discovery: 1 },
      { proxy_total: summarizeLatency([1, 2, 3]), policy_eval: summarizeLatency([0.5]), hitl_wait: summarizeLatency([]) },
      1_700_000_000_000,
    );
    const back = fromBinary(ProxyStatsSchema, toBinary(ProxyStatsSchema, msg));
    expect(back.requestsTotal).toBe(5n);
    expect([back.requestsAllowed, back.requestsDenied, back.requestsHitl]).toEqual([2n, 1n, 1n]);
    expect(back.proxyLatency).toMatchObject({ count: 3n, p50Ms: 2, p95Ms: 2.9, minMs: 1, maxMs: 3 });
    expect(back.policyEval).toMatchObject({ count: 1n, p50Ms: 0.5 });
    expect(back.hitlWait).toMatchObject({ count: 0n, p50Ms: 0, p95Ms: 0, minMs: 0, maxMs: 0 });
    expect(Number(back.takenAt?.seconds)).toBe(1_700_000_000);
  });
});
