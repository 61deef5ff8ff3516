// Turns GetActivity buckets into chart series.
import { timestampMs } from "@bufbuild/protobuf/wkt";
import type { ActivityBucket, LatencySummary } from "../../../../../lib/gen/mcpacp/common/v1/stats_pb.ts";

export type LatencyMetric = "request" | "policy" | "hitl";

export interface LatencySeries {
  metric: LatencyMetric;
  label: string;
  p50: (number | undefined)[];
  p95: (number | undefined)[];
  /** Largest p95 (or p50) in the window; 0 when there are no samples. */
  max: number;
  samples: number;
}

export interface DecisionBar {
  startMs: number;
  allowed: number;
  denied: number;
  hitl: number;
  total: number;
}

export const LATENCY_LABEL: Record<LatencyMetric, string> = {
  request: "Request (end to end)",
  policy: "Policy evaluation",
  hitl: "Human wait",
};

function pick(b: ActivityBucket, metric: LatencyMetric): LatencySummary | undefined {
  return metric === "request" ? b.requestDuration : metric === "policy" ? b.policyEval : b.hitlWait;
}

export function latencySeries(buckets: readonly ActivityBucket[], metric: LatencyMetric): LatencySeries {
  const p50: (number | undefined)[] = [];
  const p95: (number | undefined)[] = [];
  let max = 0;
  let samples = 0;
  for (const b of buckets) {
    const s = pick(b, metric);
    const n = Number(s?.count ?? 0n);
    if (s === undefined || n === 0) {
      p50.push(undefined);
      p95.push(undefined);
      continue;
    }
    samples += n;
    p50.push(s.p50Ms);
    p95.push(s.p95Ms);
    max = Math.max(max, s.p95Ms, s.p50Ms);
  }
  return { metric, label: LATENCY_LABEL[metric], p50, p95, max, samples };
}

export function decisionBars(buckets: readonly ActivityBucket[]): DecisionBar[] {
  return buckets.map((b) => {
    const allowed = Number(b.allowed);
    const denied = Number(b.denied);
    const hitl = Number(b.hitl);
    return { startMs: b.start ? timestampMs(b.start) : 0, allowed, denied, hitl, total: allowed + denied + hitl };
  });
}

export function bucketStarts(buckets: readonly ActivityBucket[]): number[] {
  return buckets.map((b) => (b.start ? timestampMs(b.start) : 0));
}

export interface ActivityRange {
  key: "15m" | "1h" | "6h" | "24h";
  label: string;
  minutes: number;
  bucketSeconds: number;
}

export const ACTIVITY_RANGES: readonly ActivityRange[] = [
  { key: "15m", label: "15 min", minutes: 15, bucketSeconds: 30 },
  { key: "1h", label: "1 hour", minutes: 60, bucketSeconds: 60 },
  { key: "6h", label: "6 hours", minutes: 360, bucketSeconds: 300 },
  { key: "24h", label: "24 hours", minutes: 1440, bucketSeconds: 900 },
];
