// lib/audit/query's activity report → GetActivityResponse (uint64 counts as bigint).
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { ActivityReport, LatencyStats } from "../../../../lib/audit/query/index.ts";
import type { GetActivityResponseSchema } from "../../../../lib/gen/mcpacp/api/v1/runtime_service_pb.ts";
import type { LatencySummarySchema } from "../../../../lib/gen/mcpacp/common/v1/stats_pb.ts";
import { timestampOfMs } from "../common/time.ts";

function latencySummary(stats: LatencyStats): MessageInitShape<typeof LatencySummarySchema> {
  return { count: BigInt(stats.count), p50Ms: stats.p50Ms, p95Ms: stats.p95Ms, minMs: stats.minMs, maxMs: stats.maxMs };
}

export function activityResponse(report: ActivityReport): MessageInitShape<typeof GetActivityResponseSchema> {
  return {
    buckets: report.buckets.map((b) => ({
      start: timestampOfMs(b.startMs),
      allowed: BigInt(b.allowed),
      denied: BigInt(b.denied),
      hitl: BigInt(b.hitl),
      requestDuration: latencySummary(b.requestDuration),
      policyEval: latencySummary(b.policyEval),
      hitlWait: latencySummary(b.hitlWait),
    })),
    scanned: BigInt(report.scanned),
    bucketSeconds: report.bucketSeconds,
    until: timestampOfMs(report.untilMs),
    truncated: report.truncated,
  };
}
