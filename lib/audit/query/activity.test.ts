import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { appendFileSync } from "node:fs";
import { useTempHome, type TempHome } from "../test-fixtures.ts";
import { logFilePath } from "../files.ts";
import { activityLatency } from "./activity-latency.ts";
import { ActivityTestLogs } from "./activity-test-logs.ts";
import { ACTIVITY_MAX_BUCKETS, activityWindow, readActivity } from "./activity.ts";
import { LogQueryError, LogQueryErrorCode } from "./errors.ts";

const NOW = new Date(Date.UTC(2026, 2, 10, 12, 0, 30)); // 12:00:30
const at = (h: number, m: number, s = 0): Date => new Date(Date.UTC(2026, 2, 10, h, m, s));

let home: TempHome;
beforeEach(() => {
  home = useTempHome("activity");
});
afterEach(() => home.cleanup());

function fieldOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(LogQueryError);
    expect((error as LogQueryError).code).toBe(LogQueryErrorCode.InvalidArgument);
    return (error as LogQueryError).field;
  }
  throw new Error("expected an INVALID_ARGUMENT LogQueryError");
}

describe("activityWindow", () => {
  test("defaults: the last hour in 60 s buckets aligned to whole minutes, the last one holding now", () => {
    const w = activityWindow({ now: NOW });
    expect(w.bucketSeconds).toBe(60);
    expect(w.firstStartMs).toBe(at(11, 0).getTime());
    expect(w.bucketCount).toBe(61);
    expect(w.firstStartMs + w.bucketCount * 60_000).toBeGreaterThan(NOW.getTime());
  });

  test("0 means the default bucket; out-of-range buckets, a future since and too many buckets are refused", () => {
    expect(activityWindow({ now: NOW, bucketSeconds: 0 }).bucketSeconds).toBe(60);
    expect(fieldOf(() => activityWindow({ now: NOW, bucketSeconds: 9 }))).toBe("bucket_seconds");
    expect(fieldOf(() => activityWindow({ now: NOW, bucketSeconds: 3601 }))).toBe("bucket_seconds");
    expect(fieldOf(() => activityWindow({ now: NOW, bucketSeconds: 12.5 }))).toBe("bucket_seconds");
    expect(fieldOf(() => activityWindow({ now: NOW, since: at(13, 0) }))).toBe("since");
    const tooLong = new Date(NOW.getTime() - (ACTIVITY_MAX_BUCKETS + 1) * 10_000);
    expect(fieldOf(() => activityWindow({ now: NOW, since: tooLong, bucketSeconds: 10 }))).toBe("since");
    expect(activityWindow({ now: NOW, since: tooLong, bucketSeconds: 60 }).bucketCount).toBeLessThanOrEqual(ACTIVITY_MAX_BUCKETS);
  });
});

describe("activityLatency", () => {
  test("interpolated median and p95, min and max, rounded to 2 decimals; none is all zeros", () => {
    expect(activityLatency([3, 1, 2])).toEqual({ count: 3, p50Ms: 2, p95Ms: 2.9, minMs: 1, maxMs: 3 });
    expect(activityLatency([0.123])).toEqual({ count: 1, p50Ms: 0.12, p95Ms: 0.12, minMs: 0.12, maxMs: 0.12 });
    expect(activityLatency([])).toEqual({ count: 0, p50Ms: 0, p95Ms: 0, minMs: 0, maxMs: 0 });
  });
});

describe("readActivity", () => {
  test("counts decisions by effect and summarises latencies per bucket; empty buckets are zeros", async () => {
    const logs = new ActivityTestLogs(home.logDir);
    logs.decision(at(10, 0), { decision: "allow", policyEvalMs: 99 }); // before the period
    logs.decision(at(11, 58, 5), { decision: "allow", policyEvalMs: 1 });
    logs.decision(at(11, 58, 40), { decision: "deny", policyEvalMs: 3 });
    logs.decision(at(11, 58, 59), { decision: "hitl", policyEvalMs: 2, policyHitlMs: 4000, hitlOutcome: "user_allowed" });
    logs.decision(at(12, 0, 10), { decision: "hitl", policyEvalMs: 1, hitlCacheHit: true, hitlOutcome: "user_allowed" });
    logs.decision(at(12, 0, 11), { decision: "allow", finalRule: "discovery_bypass", mcpMethod: "tools/list", policyEvalMs: 0 });
    logs.operation(at(11, 58, 6), { durationMs: 10 });
    logs.operation(at(11, 58, 41), { durationMs: 30 });
    logs.operation(at(11, 58, 7), { durationMs: 5, method: "tools/list" });

    const report = await readActivity(home.logDir, { now: NOW, since: at(11, 55, 30), bucketSeconds: 60 });
    expect(report.buckets.map((b) => new Date(b.startMs).toISOString().slice(11, 16))).toEqual(["11:55", "11:56", "11:57", "11:58", "11:59", "12:00"]);
    const [b55, , , b58, b59, b00] = report.buckets;
    expect(b55).toMatchObject({ allowed: 0, denied: 0, hitl: 0, policyEval: { count: 0 }, requestDuration: { count: 0 } });
    expect(b59).toMatchObject({ allowed: 0, denied: 0, hitl: 0 });
    expect(b58).toMatchObject({ allowed: 1, denied: 1, hitl: 1 });
    expect(b58?.policyEval).toEqual({ count: 3, p50Ms: 2, p95Ms: 2.9, minMs: 1, maxMs: 3 });
    expect(b58?.hitlWait).toEqual({ count: 1, p50Ms: 4000, p95Ms: 4000, minMs: 4000, maxMs: 4000 });
    // The discovery operation (tools/list) is left out, like the discovery decision below.
    expect(b58?.requestDuration).toMatchObject({ count: 2, minMs: 10, maxMs: 30 });
    // A cached approval is a HITL decision with 0 ms of human wait.
    expect(b00).toMatchObject({ allowed: 0, hitl: 1, hitlWait: { count: 1, maxMs: 0 } });
    expect(report.bucketSeconds).toBe(60);
    expect(report.untilMs).toBe(NOW.getTime());
    expect(report.truncated).toBe(false);
    // Newest first, each log stops at its first record before the period.
    expect(report.scanned).toBe(6 + 3);
  });

  test("a proxy without logs yields the full axis of empty buckets", async () => {
    const report = await readActivity(home.logDir, { now: NOW, bucketSeconds: 600 });
    expect(report.buckets).toHaveLength(7);
    expect(report.buckets.every((b) => b.allowed + b.denied + b.hitl === 0 && b.policyEval.count === 0)).toBe(true);
    expect(report.scanned).toBe(0);
  });

  test("a torn last line (a write in progress) and lines that are not records are skipped", async () => {
    const logs = new ActivityTestLogs(home.logDir);
    logs.decision(at(11, 59, 1), { decision: "deny" });
    const path = logFilePath(home.logDir, "audit/decisions.jsonl");
    appendFileSync(path, "not json\n\n");
    logs.decision(at(11, 59, 2), { decision: "allow" });
    appendFileSync(path, `{"time":"2026-03-10T12:00:00.000Z","decision":"allow"`);
    const report = await readActivity(home.logDir, { now: NOW, since: at(11, 59) });
    expect(report.buckets.map((b) => [b.allowed, b.denied])).toEqual([
      [1, 1],
      [0, 0],
    ]);
  });

  test("the scan cap stops the read and says the oldest buckets may be incomplete", async () => {
    const logs = new ActivityTestLogs(home.logDir);
    for (let i = 0; i < 5; i++) logs.decision(at(11, 59, i), { decision: "allow" });
    const report = await readActivity(home.logDir, { now: NOW, since: at(11, 58), scanCap: 3 });
    expect(report.truncated).toBe(true);
    expect(report.buckets.reduce((n, b) => n + b.allowed, 0)).toBe(3);
  });
});
