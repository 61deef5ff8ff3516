import { describe, expect, test } from "bun:test";
import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { ActivityBucketSchema } from "../../../../../lib/gen/mcpacp/common/v1/stats_pb.ts";
import { decisionBars, latencySeries } from "./activity-series.ts";
import { countAxis, labelIndexes, linePath, linearScale, niceCeil, ticks } from "./chart-math.ts";
import { activityRow } from "./activity-row.ts";

describe("chart math", () => {
  test("nice ceilings", () => {
    expect(niceCeil(0)).toBe(1);
    expect(niceCeil(0.37)).toBe(0.5);
    expect(niceCeil(7)).toBe(10);
    expect(niceCeil(12)).toBe(20);
    expect(niceCeil(2.2)).toBe(2.5);
    expect(niceCeil(1000)).toBe(1000);
    expect(ticks(10, 2)).toEqual([0, 5, 10]);
  });

  test("count axes use whole 1/2/5 steps", () => {
    expect(countAxis(0)).toEqual({ top: 1, ticks: [0, 1] });
    expect(countAxis(3)).toEqual({ top: 3, ticks: [0, 1, 2, 3] });
    expect(countAxis(35)).toEqual({ top: 40, ticks: [0, 10, 20, 30, 40] });
    expect(countAxis(41)).toEqual({ top: 60, ticks: [0, 20, 40, 60] });
  });

  test("lines break at gaps and keep isolated points visible", () => {
    const y = linearScale(0, 10, 100, 0);
    expect(y(5)).toBe(50);
    const d = linePath([1, 2, undefined, 4], (i) => i * 10, y);
    expect(d).toBe("M0.0,90.0 L10.0,80.0 M30.0,60.0 h0.01");
    expect(linePath([undefined, undefined], (i) => i, y)).toBe("");
  });

  test("label indexes spread and include both ends", () => {
    expect(labelIndexes(3, 5)).toEqual([0, 1, 2]);
    expect(labelIndexes(61, 4)).toEqual([0, 20, 40, 60]);
    expect(labelIndexes(0, 4)).toEqual([]);
  });

  test("series from buckets: empty intervals are gaps, not zeros", () => {
    const buckets = [
      create(ActivityBucketSchema, { start: timestampFromMs(60_000), allowed: 2n, denied: 1n, hitl: 0n, policyEval: { count: 3n, p50Ms: 0.2, p95Ms: 0.9 } }),
      create(ActivityBucketSchema, { start: timestampFromMs(120_000) }),
    ];
    const s = latencySeries(buckets, "policy");
    expect(s.p50).toEqual([0.2, undefined]);
    expect(s.p95).toEqual([0.9, undefined]);
    expect(s.max).toBe(0.9);
    expect(s.samples).toBe(3);
    expect(latencySeries(buckets, "hitl").samples).toBe(0);
    expect(decisionBars(buckets)).toEqual([
      { startMs: 60_000, allowed: 2, denied: 1, hitl: 0, total: 3 },
      { startMs: 120_000, allowed: 0, denied: 0, hitl: 0, total: 0 },
    ]);
  });

  test("recent activity rows show failures' message, else the path", () => {
    const ok = activityRow({ time: "2026-01-01T12:00:00Z", method: "tools/call", tool_name: "read", status: "Success", file_path: "/a/b" });
    expect(ok.ok).toBe(true);
    expect(ok.detail).toBe("/a/b");
    const fail = activityRow({ time: "x", method: "tools/call", status: "Failure", message: "Proxy→Backend: connection refused by the server at once" });
    expect(fail.ok).toBe(false);
    expect(fail.detail.length).toBe(40);
    const move = activityRow({ method: "tools/call", source_path: "/a", dest_path: "/b" });
    expect(move.detail).toBe("/a → /b");
  });
});
