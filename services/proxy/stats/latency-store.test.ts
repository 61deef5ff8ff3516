import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { IntegrityStateStore } from "../../../lib/audit/index.ts";
import { StatsError, StatsErrorCode } from "./errors.ts";
import { LATENCY_WINDOW, LatencyStore } from "./latency-store.ts";

let root: string;
let previousHome: string | undefined;
let n = 0;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "mcp-acp-stats-"));
  previousHome = process.env["MCP_ACP_HOME"];
  process.env["MCP_ACP_HOME"] = root;
});

afterAll(() => {
  if (previousHome === undefined) delete process.env["MCP_ACP_HOME"];
  else process.env["MCP_ACP_HOME"] = previousHome;
  rmSync(root, { recursive: true, force: true });
});

/** A fresh state.db path inside a directory that does not exist yet. */
function freshPath(): string {
  n += 1;
  return join(root, `proxy${n}`, "logs", "state.db");
}

function statsCode(fn: () => unknown): StatsErrorCode {
  try {
    fn();
  } catch (error) {
    if (error instanceof StatsError) return error.code;
    throw error;
  }
  throw new Error("expected a StatsError");
}

describe("LatencyStore", () => {
  test("creates state.db 0600 in a 0700 directory, in WAL mode", () => {
    const path = freshPath();
    const store = LatencyStore.open(path);
    try {
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(statSync(join(path, "..")).mode & 0o777).toBe(0o700);
      expect(store.journalMode()).toBe("wal");
    } finally {
      store.close();
    }
  });

  test("summaries per metric; empty metrics report nulls", () => {
    const store = LatencyStore.open(freshPath());
    try {
      for (const ms of [3, 1, 2]) store.record("policy_eval", ms);
      store.record("hitl_wait", 0);
      const all = store.summaries();
      expect(all.policy_eval).toEqual({ count: 3, p50Ms: 2, p95Ms: 2.9, minMs: 1, maxMs: 3 });
      expect(all.hitl_wait).toEqual({ count: 1, p50Ms: 0, p95Ms: 0, minMs: 0, maxMs: 0 });
      expect(all.proxy_total).toEqual({ count: 0, p50Ms: null, p95Ms: null, minMs: null, maxMs: null });
    } finally {
      store.close();
    }
  });

  test("keeps the last 1000 samples per metric, in memory and on disk", () => {
    const store = LatencyStore.open(freshPath(), { flushBatchSize: 64 });
    try {
      for (let i = 1; i <= 2500; i++) store.record("proxy_total", i);
      store.flush();
      const samples = store.samples("proxy_total");
      expect(samples.length).toBe(LATENCY_WINDOW);
      expect(samples[0]).toBe(1501);
      expect(samples.at(-1)).toBe(2500);
      expect(store.storedCount("proxy_total")).toBe(LATENCY_WINDOW);
      expect(store.summary("proxy_total")).toMatchObject({ count: 1000, minMs: 1501, maxMs: 2500, p50Ms: 2000.5 });
    } finally {
      store.close();
    }
  });

  test("the windows survive a restart, and new samples follow the old ones", () => {
    const path = freshPath();
    const first = LatencyStore.open(path);
    for (let i = 1; i <= 1005; i++) first.record("policy_eval", i / 10);
    first.record("hitl_wait", 1500);
    first.close();

    const second = LatencyStore.open(path);
    expect(second.samples("policy_eval").length).toBe(1000);
    expect(second.samples("policy_eval")[0]).toBe(0.6);
    expect(second.samples("hitl_wait")).toEqual([1500]);
    second.record("hitl_wait", 10);
    second.close();

    const third = LatencyStore.open(path);
    expect(third.samples("hitl_wait")).toEqual([1500, 10]);
    expect(third.storedCount("policy_eval")).toBe(1000);
    third.close();
  });

  test("writes in batches: nothing on disk until the batch is full or flushed", () => {
    const store = LatencyStore.open(freshPath(), { flushBatchSize: 10, flushIntervalMs: 3_600_000 });
    try {
      for (let i = 0; i < 9; i++) store.record("policy_eval", i);
      expect(store.pendingWrites).toBe(9);
      expect(store.storedCount("policy_eval")).toBe(0);
      store.record("policy_eval", 9);
      expect(store.pendingWrites).toBe(0);
      expect(store.storedCount("policy_eval")).toBe(10);
      store.record("policy_eval", 10);
      store.flush();
      expect(store.storedCount("policy_eval")).toBe(11);
    } finally {
      store.close();
    }
  });

  test("shares state.db with the audit integrity state", () => {
    const path = freshPath();
    const audit = IntegrityStateStore.open(path);
    const store = LatencyStore.open(path);
    store.record("proxy_total", 4.2);
    store.close();
    audit.close();
    const auditAgain = IntegrityStateStore.open(path);
    expect(auditAgain.list()).toEqual([]);
    auditAgain.close();
    const storeAgain = LatencyStore.open(path);
    expect(storeAgain.samples("proxy_total")).toEqual([4.2]);
    storeAgain.close();
  });

  test("refuses invalid samples", () => {
    const store = LatencyStore.open(freshPath());
    try {
      expect(statsCode(() => store.record("policy_eval", -1))).toBe(StatsErrorCode.InvalidSample);
      expect(statsCode(() => store.record("policy_eval", Number.NaN))).toBe(StatsErrorCode.InvalidSample);
      expect(statsCode(() => store.record("nope" as never, 1))).toBe(StatsErrorCode.InvalidSample);
      expect(store.summary("policy_eval").count).toBe(0);
    } finally {
      store.close();
    }
  });

  test("a newer latency schema is refused", () => {
    const path = freshPath();
    LatencyStore.open(path).close();
    const db = new Database(path);
    db.run("UPDATE meta SET value = '2' WHERE key = 'latency_schema_version'");
    db.close();
    expect(statsCode(() => LatencyStore.open(path))).toBe(StatsErrorCode.SchemaMismatch);
  });

  test("a file that is not a database is reported as corrupt", () => {
    const path = freshPath();
    LatencyStore.open(path).close();
    rmSync(`${path}-wal`, { force: true });
    rmSync(`${path}-shm`, { force: true });
    writeFileSync(path, "this is not sqlite, just text that fills the header area...".repeat(20));
    expect(statsCode(() => LatencyStore.open(path))).toBe(StatsErrorCode.StoreCorrupt);
  });

  test("after close, samples are still counted in memory", () => {
    const store = LatencyStore.open(freshPath());
    store.close();
    store.record("policy_eval", 1);
    expect(store.summary("policy_eval").count).toBe(1);
    expect(store.closed).toBe(true);
  });
});
