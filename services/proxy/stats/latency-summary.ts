// Summary statistics of a latency window (spec manager.md §8): values in ms rounded to 2 decimals,
// null when there are no samples. Percentiles interpolate linearly between the two nearest ranks,
// so the median of an even count is the mean of the middle pair, as the spec asks.

export interface LatencySummary {
  count: number;
  p50Ms: number | null;
  p95Ms: number | null;
  minMs: number | null;
  maxMs: number | null;
}

export const EMPTY_LATENCY_SUMMARY: Readonly<LatencySummary> = Object.freeze({ count: 0, p50Ms: null, p95Ms: null, minMs: null, maxMs: null });

const round2 = (n: number): number => Math.round(n * 100) / 100;

/** The `p` quantile (0–1) of ascending `sorted`, interpolated; undefined for an empty list. */
export function quantile(sorted: ArrayLike<number>, p: number): number | undefined {
  const n = sorted.length;
  if (n === 0) return undefined;
  const rank = p * (n - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (rank - lo);
}

export function summarizeLatency(samples: ArrayLike<number>): LatencySummary {
  const n = samples.length;
  if (n === 0) return { ...EMPTY_LATENCY_SUMMARY };
  const sorted = Float64Array.from(samples).sort();
  return {
    count: n,
    p50Ms: round2(quantile(sorted, 0.5) as number),
    p95Ms: round2(quantile(sorted, 0.95) as number),
    minMs: round2(sorted[0] as number),
    maxMs: round2(sorted[n - 1] as number),
  };
}
