/// <reference path="../../../../../node_modules/bun-types/test.d.ts" />
import { describe, expect, test } from "bun:test";
import type { JsonObject } from "@bufbuild/protobuf";
import { applyPages, filesToFetch, hasMoreRows, initialMergeState, type PageResult } from "./log-merge.ts";
import type { SingleLogFile } from "./log-selection.ts";

function rec(minute: number, tag: string): JsonObject {
  return { time: new Date(Date.UTC(2026, 0, 1, 12, minute)).toISOString(), tag };
}

function page(file: SingleLogFile, entries: JsonObject[], nextCursor: string): PageResult {
  return { file, entries, nextCursor, hasMore: nextCursor !== "", scanned: entries.length, logFile: `/logs/${file}.jsonl` };
}

describe("log merge", () => {
  test("a single file releases every row and stops when the file has no more", () => {
    const s = applyPages(initialMergeState(["decisions"]), [page("decisions", [rec(5, "a"), rec(3, "b")], "")]);
    expect(s.shown.map((r) => r.record.tag)).toEqual(["a", "b"]);
    expect(hasMoreRows(s)).toBe(false);
    expect(s.logFile).toBe("/logs/decisions.jsonl");
  });

  test("merging holds back rows older than what another file may still have", () => {
    let s = initialMergeState(["decisions", "operations"]);
    // decisions fetched down to 12:50 and has more; operations fetched down to 12:10 and has more.
    s = applyPages(s, [
      page("decisions", [rec(59, "d59"), rec(50, "d50")], "c1"),
      page("operations", [rec(55, "o55"), rec(10, "o10")], "c2"),
    ]);
    expect(s.shown.map((r) => r.record.tag)).toEqual(["d59", "o55", "d50"]);
    expect(s.held.map((r) => r.record.tag)).toEqual(["o10"]);
    expect(hasMoreRows(s)).toBe(true);
    expect(filesToFetch(s).map((f) => f.cursor)).toEqual(["c1", "c2"]);
    // Next round: decisions delivers 12:30 and ends; operations ends with nothing.
    s = applyPages(s, [page("decisions", [rec(30, "d30")], ""), page("operations", [], "")]);
    expect(s.shown.map((r) => r.record.tag)).toEqual(["d59", "o55", "d50", "d30", "o10"]);
    expect(hasMoreRows(s)).toBe(false);
    expect(s.scanned).toBe(5);
  });

  test("rows keep unique keys across pages and files", () => {
    let s = applyPages(initialMergeState(["auth"]), [page("auth", [rec(2, "x")], "n")]);
    s = applyPages(s, [page("auth", [rec(1, "y")], "")]);
    expect(new Set(s.shown.map((r) => r.key)).size).toBe(2);
  });

  test("rows without a time are released only at the end", () => {
    let s = initialMergeState(["system", "config_history"]);
    s = applyPages(s, [page("system", [{ event: "no_time" }, rec(40, "s40")], "more"), page("config_history", [rec(45, "c45")], "")]);
    expect(s.shown.map((r) => r.record.tag ?? r.record.event)).toEqual(["c45", "s40"]);
    s = applyPages(s, [page("system", [], "")]);
    expect(s.shown.at(-1)?.record.event).toBe("no_time");
  });
});
