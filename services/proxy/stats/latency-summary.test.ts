import { describe, expect, test } from "bun:test";
import { LatencyRing } from "./latency-ring.ts";
import { summarizeLatency } from "./latency-summary.ts";

describe("summarizeLatency", () => {
  test("empty window: count 0 and nulls", () => {
    expect(summarizeLatency([])).toEqual({ count: 0, p50Ms: null, p95Ms: null, minMs: null, maxMs: null });
  });

  test("median of an odd count is the middle sample", () => {
    expect(summarizeLatency([9, 1, 5]).p50Ms).toBe(5);
  });

  test("median of an even count averages the middle pair", () => {
    expect(summarizeLatency([4, 1, 3, 2]).p50Ms).toBe(2.5);
  });

  test("p95 interpolates between ranks; min and max; 2 decimals", () => {
    const s = summarizeLatency(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(s).toEqual({ count: 100, p50Ms: 50.5, p95Ms: 95.05, minMs: 1, maxMs: 100 });
    expect(summarizeLatency([0.123456, 0.987654])).toEqual({ count: 2, p50Ms: 0.56, p95Ms: 0.94, minMs: 0.12, maxMs: 0.99 });
  });

  test("a single sample is every statistic", () => {
    expect(summarizeLatency([7.5])).toEqual({ count: 1, p50Ms: 7.5, p95Ms: 7.5, minMs: 7.5, maxMs: 7.5 });
  });
});

describe("LatencyRing", () => {
  test("keeps the most recent samples, oldest first", () => {
    const ring = new LatencyRing(3);
    for (const v of [1, 2]) ring.push(v);
    expect(ring.toArray()).toEqual([1, 2]);
    for (const v of [3, 4, 5]) ring.push(v);
    expect(ring.toArray()).toEqual([3, 4, 5]);
    expect(ring.size).toBe(3);
  });
});
