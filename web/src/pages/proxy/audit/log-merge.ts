// Paging over one or several log files at once. Each file pages on its own cursor; merged rows are
// released newest-first only down to the "watermark" — the oldest row fetched from any file that
// still has more — so a later page can never need to slot a row ABOVE rows already shown.
import type { JsonObject } from "@bufbuild/protobuf";
import type { SingleLogFile } from "./log-selection.ts";

export interface LogRow {
  /** Stable key for rendering: file + arrival index. */
  key: string;
  source: SingleLogFile;
  record: JsonObject;
  /** Milliseconds since epoch; NaN when the record has no readable time (sorts last). */
  time: number;
}

export interface SourceCursor {
  file: SingleLogFile;
  cursor: string;
  hasMore: boolean;
  /** Time of the oldest row fetched from this file so far (NaN before any). */
  oldest: number;
  /** Rows fetched so far, to make keys unique. */
  fetched: number;
}

export interface MergeState {
  sources: SourceCursor[];
  shown: LogRow[];
  held: LogRow[];
  scanned: number;
  /** Absolute path of the file read; only meaningful for a single file. */
  logFile: string;
}

export interface PageResult {
  file: SingleLogFile;
  entries: JsonObject[];
  nextCursor: string;
  hasMore: boolean;
  scanned: number;
  logFile: string;
}

export function initialMergeState(files: readonly SingleLogFile[]): MergeState {
  return {
    sources: files.map((file) => ({ file, cursor: "", hasMore: true, oldest: Number.NaN, fetched: 0 })),
    shown: [],
    held: [],
    scanned: 0,
    logFile: "",
  };
}

export function recordTime(record: JsonObject): number {
  const value = record.time;
  return typeof value === "string" ? Date.parse(value) : Number.NaN;
}

/** Newest first; rows without a time go last; ties keep the source order. */
function newestFirst(a: LogRow, b: LogRow): number {
  const at = Number.isNaN(a.time) ? Number.NEGATIVE_INFINITY : a.time;
  const bt = Number.isNaN(b.time) ? Number.NEGATIVE_INFINITY : b.time;
  return bt - at;
}

/** Files that a "Load more" should ask. */
export function filesToFetch(state: MergeState): SourceCursor[] {
  return state.sources.filter((s) => s.hasMore);
}

export function hasMoreRows(state: MergeState): boolean {
  return state.held.length > 0 || state.sources.some((s) => s.hasMore);
}

/** Folds the pages of one fetch round into the state. */
export function applyPages(state: MergeState, pages: readonly PageResult[]): MergeState {
  const sources = state.sources.map((s) => ({ ...s }));
  const incoming: LogRow[] = [];
  let scanned = state.scanned;
  let logFile = state.logFile;
  for (const page of pages) {
    const source = sources.find((s) => s.file === page.file);
    if (source === undefined) continue;
    for (const record of page.entries) {
      const time = recordTime(record);
      incoming.push({ key: `${page.file}:${source.fetched}`, source: page.file, record, time });
      source.fetched += 1;
      if (!Number.isNaN(time) && (Number.isNaN(source.oldest) || time < source.oldest)) source.oldest = time;
    }
    // A page that says "more" but gives no cursor cannot be continued; treat it as the end.
    source.hasMore = page.hasMore && page.nextCursor !== "";
    source.cursor = page.nextCursor;
    scanned += page.scanned;
    if (page.logFile !== "") logFile = page.logFile;
  }
  const pool = [...state.held, ...incoming].sort(newestFirst);
  const open = sources.filter((s) => s.hasMore && !Number.isNaN(s.oldest));
  const watermark = open.length === 0 ? Number.NEGATIVE_INFINITY : Math.max(...open.map((s) => s.oldest));
  const release = pool.filter((r) => (Number.isNaN(r.time) ? open.length === 0 : r.time >= watermark));
  const held = pool.filter((r) => !release.includes(r));
  return { sources, shown: [...state.shown, ...release], held, scanned, logFile };
}
