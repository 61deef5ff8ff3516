// Counters and latency windows → mcpacp.common.v1.ProxyStats (GetStats, snapshots, stats_updated).
import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import {
  type LatencySummary as LatencySummaryMessage,
  LatencySummarySchema,
  type ProxyStats,
  ProxyStatsSchema,
} from "../../../lib/gen/mcpacp/common/v1/stats_pb.ts";
import type { EnforcementCounters } from "../enforcement/index.ts";
import type { LatencySummaries } from "./latency-store.ts";
import type { LatencySummary } from "./latency-summary.ts";

/** Empty windows give count 0 and zeros, as the message documents. */
export function latencySummaryMessage(summary: LatencySummary): LatencySummaryMessage {
  return create(LatencySummarySchema, {
    count: BigInt(summary.count),
    p50Ms: summary.p50Ms ?? 0,
    p95Ms: summary.p95Ms ?? 0,
    minMs: summary.minMs ?? 0,
    maxMs: summary.maxMs ?? 0,
  });
}

export function proxyStatsMessage(counters: EnforcementCounters, latency: LatencySummaries, takenAtMs: number = Date.now()): ProxyStats {
  return create(ProxyStatsSchema, {
    requestsTotal: BigInt(counters.requestsTotal),
    requestsAllowed: BigInt(counters.allowed),
    requestsDenied: BigInt(counters.denied),
    requestsHitl: BigInt(counters.hitl),
    proxyLatency: latencySummaryMessage(latency.proxy_total),
    policyEval: latencySummaryMessage(latency.policy_eval),
    hitlWait: latencySummaryMessage(latency.hitl_wait),
    takenAt: timestampFromMs(takenAtMs),
  });
}
