import { afterAll, describe, expect, test } from "bun:test";
import { appendFileSync, copyFileSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ChainHead, sealRecord } from "../chain.ts";
import type { JsonObject } from "../canonical-json.ts";
import { logFilePath } from "../files.ts";
import { LogQueryError, LogQueryErrorCode } from "./errors.ts";
import { queryLog, queryLogFile, type LogPage, type LogQueryOptions } from "./query.ts";

const dir = mkdtempSync(join(tmpdir(), "mcp-acp-query-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const NOW = new Date(T0 + 60 * 60_000);

function decision(i: number): JsonObject {
  return {
    event: "policy_decision",
    decision: i % 3 === 0 ? "deny" : i % 3 === 1 ? "allow" : "hitl",
    ...(i % 3 === 2 ? { hitl_outcome: i % 2 === 0 ? "user_allowed" : "user_denied" } : {}),
    mcp_method: "tools/call",
    tool_name: `tool-${i}`,
    policy_version: i < 10 ? "v1" : "v2",
    request_id: String(i),
    session_id: `s${i % 2}`,
    backend_id: "fs",
    note: "καλημέρα ✓",
  };
}

/** A chained decisions file of `count` records, one per minute ending at T0 + (count-1) min. */
function decisionsFile(count: number, minuteStep = 1): { path: string; lines: string[] } {
  const path = join(dir, `d${++n}`, "audit", "decisions.jsonl");
  mkdirSync(join(path, ".."), { recursive: true });
  let head: ChainHead | null = null;
  const lines: string[] = [];
  for (let i = 1; i <= count; i++) {
    const sealed = sealRecord(decision(i), head, { time: new Date(T0 - (count - i) * minuteStep * 60_000) });
    head = sealed.head;
    lines.push(sealed.line);
  }
  writeFileSync(path, lines.join(""));
  return { path, lines };
}

function ids(page: LogPage): string[] {
  return page.entries.map((e) => String(e.record.request_id));
}

async function code(promise: Promise<unknown>): Promise<[LogQueryErrorCode, string | undefined]> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof LogQueryError) return [error.code, error.field];
    throw error;
  }
  throw new Error("expected a LogQueryError");
}

const ALL: Pick<LogQueryOptions, "type" | "timeRange" | "now"> = { type: "decisions", timeRange: "all", now: NOW };

describe("queryLogFile", () => {
  test("newest first; limit; raw lines as written; unicode survives", async () => {
    const { path, lines } = decisionsFile(12);
    const page = await queryLogFile(path, { ...ALL, limit: 3 });
    expect(ids(page)).toEqual(["12", "11", "10"]);
    expect(page.entries[0]?.raw).toBe((lines[11] as string).slice(0, -1));
    expect(page.entries[0]?.record.note).toBe("καλημέρα ✓");
    expect([page.totalReturned, page.totalScanned, page.hasMore, page.exists, page.logFile]).toEqual([3, 3, true, true, path]);
    expect(page.nextCursor).toStartWith("c1.");
  });

  test("cursor paging continues exactly, without gaps or repeats, to the end", async () => {
    const { path } = decisionsFile(25);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    for (;;) {
      const page = await queryLogFile(path, { ...ALL, limit: 7, ...(cursor ? { cursor } : {}) });
      seen.push(...ids(page));
      pages++;
      if (!page.hasMore) {
        expect(page.nextCursor).toBeNull();
        break;
      }
      cursor = page.nextCursor ?? undefined;
    }
    expect(pages).toBe(4);
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => String(25 - i)));
  });

  test("a page that ends exactly at the first line says there is no more", async () => {
    const { path } = decisionsFile(4);
    const page = await queryLogFile(path, { ...ALL, limit: 4 });
    expect([ids(page).length, page.hasMore, page.nextCursor]).toEqual([4, false, null]);
  });

  test("filters: comma lists and the hitl mapping, AND-ed", async () => {
    const { path } = decisionsFile(12);
    expect(ids(await queryLogFile(path, { ...ALL, filters: { decision: "deny" } }))).toEqual(["12", "9", "6", "3"]);
    expect(ids(await queryLogFile(path, { ...ALL, filters: { decision: "deny,allow", session_id: "s1" } }))).toEqual(["9", "7", "3", "1"]);
    expect(ids(await queryLogFile(path, { ...ALL, filters: { hitl_outcome: "denied" } }))).toEqual(["11", "5"]);
    expect(ids(await queryLogFile(path, { ...ALL, filters: { policy_version: "2", decision: "hitl" } }))).toEqual(["11"]);
    const page = await queryLogFile(path, { ...ALL, filters: { request_id: "4" } });
    expect([ids(page), page.filtersApplied]).toEqual([["4"], { request_id: "4" }]);
  });

  test("time ranges: 5m, 1h; the default is 5m; filters_applied names it", async () => {
    const { path } = decisionsFile(90);
    const at = new Date(T0 + 30_000);
    const five = await queryLogFile(path, { type: "decisions", now: at, limit: 1000 });
    expect(ids(five)).toEqual(["90", "89", "88", "87", "86"]);
    expect([five.hasMore, five.filtersApplied]).toEqual([false, { time_range: "5m" }]);
    expect((await queryLogFile(path, { type: "decisions", timeRange: "1h", now: at, limit: 1000 })).entries).toHaveLength(60);
    const twentyFour = await queryLogFile(path, { type: "decisions", timeRange: "24h", now: at, limit: 100 });
    expect(twentyFour.entries).toHaveLength(90);
  });

  test("a full page whose next record is outside the range has no more", async () => {
    const { path } = decisionsFile(10);
    const page = await queryLogFile(path, { type: "decisions", now: new Date(T0 + 30_000), limit: 5, timeRange: "5m" });
    expect([ids(page).length, page.hasMore]).toEqual([5, false]);
  });

  test("before: entries at or after the instant are left out", async () => {
    const { path } = decisionsFile(10);
    const page = await queryLogFile(path, { ...ALL, before: new Date(T0 - 3 * 60_000).toISOString() });
    expect(ids(page)).toEqual(["6", "5", "4", "3", "2", "1"]);
    expect(await code(queryLogFile(path, { ...ALL, before: "yesterday" }))).toEqual([LogQueryErrorCode.InvalidArgument, "before"]);
  });

  test("lines that are not JSON objects, blank lines and a torn last line are skipped; unparseable times pass", async () => {
    const { path } = decisionsFile(3);
    appendFileSync(path, 'not json\n\n[1,2]\n{"time":"garbage","request_id":"x"}\n{"time":"2026-01-01T12:00:00.000Z","request_id":"tor');
    const page = await queryLogFile(path, { ...ALL });
    expect(ids(page)).toEqual(["x", "3", "2", "1"]);
    expect(page.totalScanned).toBe(6);
    const recent = await queryLogFile(path, { type: "decisions", timeRange: "5m", now: new Date(T0 + 10 * 60 * 60_000) });
    expect(ids(recent)).toEqual(["x"]);
  });

  test("limits 0 and 1001 are refused; a missing file is an empty page", async () => {
    const { path } = decisionsFile(1);
    expect(await code(queryLogFile(path, { ...ALL, limit: 0 }))).toEqual([LogQueryErrorCode.InvalidArgument, "limit"]);
    expect(await code(queryLogFile(path, { ...ALL, limit: 1001 }))).toEqual([LogQueryErrorCode.InvalidArgument, "limit"]);
    const missing = await queryLogFile(join(dir, "nope.jsonl"), { ...ALL });
    expect([missing.exists, missing.entries, missing.hasMore]).toEqual([false, [], false]);
  });

  test("the read window and the scan cap stop a page early with a cursor that reaches further back", async () => {
    const { path } = decisionsFile(40);
    const windowed = await queryLogFile(path, { ...ALL, limit: 1000, windowBytes: 2000 });
    expect(windowed.hasMore).toBe(true);
    expect(windowed.entries.length).toBeLessThan(40);
    const rest = await queryLogFile(path, { ...ALL, limit: 1000, cursor: windowed.nextCursor ?? "" });
    expect(ids(rest)[0]).toBe(String(40 - windowed.entries.length));
    const capped = await queryLogFile(path, { ...ALL, limit: 1000, scanCap: 10, filters: { decision: "deny" } });
    expect([ids(capped), capped.totalScanned, capped.hasMore]).toEqual([["39", "36", "33"], 10, true]);
    const next = await queryLogFile(path, { ...ALL, limit: 1000, scanCap: 10, filters: { decision: "deny" }, cursor: capped.nextCursor ?? "" });
    expect(ids(next)).toEqual(["30", "27", "24", "21"]);
  });

  test("a cursor is refused once the file was replaced, truncated, rewritten, or for another log", async () => {
    const { path, lines } = decisionsFile(10);
    const page = await queryLogFile(path, { ...ALL, limit: 3 });
    const cursor = page.nextCursor ?? "";
    expect(await code(queryLogFile(path, { ...ALL, type: "operations", cursor }))).toEqual([LogQueryErrorCode.InvalidCursor, "cursor"]);
    expect(await code(queryLogFile(path, { ...ALL, cursor: "c1.bm9wZQ" }))).toEqual([LogQueryErrorCode.InvalidCursor, "cursor"]);
    // Rewritten in place: another chain at the same offsets.
    writeFileSync(path, lines.slice(1).join("") + lines[0]);
    expect((await code(queryLogFile(path, { ...ALL, cursor })))[0]).toBe(LogQueryErrorCode.InvalidCursor);
    writeFileSync(path, lines.join(""));
    expect(ids(await queryLogFile(path, { ...ALL, limit: 2, cursor }))).toEqual(["7", "6"]);
    copyFileSync(path, `${path}.new`);
    renameSync(`${path}.new`, path);
    expect((await code(queryLogFile(path, { ...ALL, cursor })))[0]).toBe(LogQueryErrorCode.InvalidCursor);
  });

  test("queryLog finds the file in a proxy's log dir; wire logs page by offset", async () => {
    const logDir = join(dir, `pld${++n}`);
    const wire = logFilePath(logDir, "debug/client_wire.jsonl");
    mkdirSync(join(wire, ".."), { recursive: true });
    writeFileSync(wire, Array.from({ length: 5 }, (_, i) => `${JSON.stringify({ time: new Date(T0).toISOString(), event: "client_request", request_id: String(i) })}\n`).join(""));
    const first = await queryLog(logDir, { type: "client_wire", timeRange: "all", now: NOW, limit: 2 });
    expect(ids(first)).toEqual(["4", "3"]);
    const second = await queryLog(logDir, { type: "client_wire", timeRange: "all", now: NOW, limit: 5, cursor: first.nextCursor ?? "" });
    expect([ids(second), second.hasMore]).toEqual([["2", "1", "0"], false]);
  });
});
