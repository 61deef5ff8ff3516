// Summary of the latency samples of one activity bucket: count, median, 95th percentile, minimum
// and maximum, in milliseconds rounded to 2 decimals. Percentiles interpolate linearly between the
// two nearest ranks, as the proxy's live latency windows do, so both views agree on the same data.

import { round2 } from "../records/common.ts";

export interface LatencyStats {
  count: number;
  p50Ms: number;
  p95Ms: number;
  minMs: number;
  maxMs: number;
}

export const EMPTY_LATENCY_STATS: Readonly<LatencyStats> = Object.freeze({ count: 0, p50Ms: 0, p95Ms: 0, minMs: 0, maxMs: 0 });

function percentile(sorted: readonly number[], fraction: number): number {
  const rank = (sorted.length - 1) * fraction;
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  const a = sorted[low] ?? 0;
  const b = sorted[high] ?? a;
  return a + (b - a) * (rank - low);
}

/** The summary of `samples` (not modified); all zeros when there are none. */
export function activityLatency(samples: readonly number[]): LatencyStats {
  if (samples.length === 0) return { ...EMPTY_LATENCY_STATS };
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50Ms: round2(percentile(sorted, 0.5)),
    p95Ms: round2(percentile(sorted, 0.95)),
    minMs: round2(sorted[0] ?? 0),
    maxMs: round2(sorted[sorted.length - 1] ?? 0),
  };
}
