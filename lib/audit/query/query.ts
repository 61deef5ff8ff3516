// One page of a log, newest first (spec audit.md §11): read backwards from the newest line (or a
// cursor) within a 10 MiB window and a 50 000-line scan cap, skip lines that are not JSON objects,
// apply the time range, the `before` time and the filters, stop after `limit` matches, and hand
// out a cursor that continues exactly where the page ended. Reads disk only; the proxy need not run.

import { open, type FileHandle } from "node:fs/promises";
import { errnoCode } from "../errors.ts";
import { logFilePath } from "../files.ts";
import { parseAuditTime } from "../time.ts";
import { readLineAt, scanLinesBackward, type BackwardLine } from "./backward-reader.ts";
import { DEFAULT_LOG_LIMIT, READ_WINDOW_BYTES, SCAN_CAP_LINES } from "./constants.ts";
import { decodeLogCursor, encodeLogCursor, staleCursor } from "./cursor.ts";
import { LogQueryError, LogQueryErrorCode, invalidArgument } from "./errors.ts";
import { describeFilters, matchesLogFilters, normalizeLogFilters, type LogFilterInput, type LogFilters } from "./filters.ts";
import { validateLimit } from "./limits.ts";
import { type LogType, logTypeInfo } from "./log-types.ts";
import { type TimeRange, timeRangeStart } from "./time-range.ts";

export interface LogQueryOptions {
  type: LogType;
  /** Default `5m` (the API's default). */
  timeRange?: TimeRange;
  /** 1..1000, default 50. */
  limit?: number;
  /** A previous page's nextCursor: continue with older entries. */
  cursor?: string;
  /** An instant (any audit timestamp form): entries at or after it are left out. */
  before?: string;
  filters?: LogFilterInput;
  /** The clock for the time range (tests). */
  now?: Date;
  /** Bytes read back per query (default 10 MiB; a soft limit, one line may cross it). */
  windowBytes?: number;
  /** Lines looked at per query (default 50 000). */
  scanCap?: number;
}

export interface LogEntry {
  /** The record as parsed. */
  record: Record<string, unknown>;
  /** The line exactly as written (without its newline). */
  raw: string;
  /** Byte offset of the line in the file. */
  offset: number;
}

export interface LogPage {
  entries: LogEntry[];
  totalReturned: number;
  /** Non-blank lines looked at. */
  totalScanned: number;
  logFile: string;
  exists: boolean;
  /** Older matching entries may exist: pass nextCursor to get them. */
  hasMore: boolean;
  nextCursor: string | null;
  /** Non-empty filters, plus `time_range` unless it is `all`. */
  filtersApplied: Record<string, string>;
}

// Lines without a record looked at after a full page before assuming more may follow.
const MAX_PEEK_LINES = 100;

interface PageSettings {
  limit: number;
  since: number | null;
  before: number | null;
  filters: LogFilters;
  windowBytes: number;
  scanCap: number;
}

/** The record on a line; null for a blank line or one that is not a JSON object. */
function recordOf(raw: string): Record<string, unknown> | null {
  if (raw.trim() === "") return null;
  try {
    const parsed: unknown = JSON.parse(raw);
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function timeOf(record: Record<string, unknown>): number | null {
  return typeof record.time === "string" ? parseAuditTime(record.time) : null;
}

function sequenceOf(record: Record<string, unknown> | undefined): number | undefined {
  const s = record?.sequence;
  return typeof s === "number" && Number.isSafeInteger(s) && s >= 1 ? s : undefined;
}

/** Visits lines newest first and decides what goes on the page and where the next page starts. */
class PageBuilder {
  readonly entries: LogEntry[] = [];
  scanned = 0;
  hasMore = false;
  /** Offset of the oldest line consumed: the next page's end. */
  resumeAt: number;
  resumeSequence: number | undefined;
  private full = false;
  private peeked = 0;

  constructor(
    private readonly end: number,
    private readonly settings: PageSettings,
  ) {
    this.resumeAt = end;
  }

  visit(line: BackwardLine): boolean {
    if (!line.complete) return true; // a write in progress, or a torn line: not a record yet
    const raw = line.bytes.toString("utf8");
    const record = recordOf(raw);
    if (this.full) return this.peek(record);
    if (raw.trim() !== "") {
      if (this.scanned >= this.settings.scanCap || (this.scanned > 0 && this.end - line.offset > this.settings.windowBytes)) {
        this.hasMore = true;
        return false;
      }
      this.scanned++;
    }
    this.resumeAt = line.offset;
    this.resumeSequence = sequenceOf(record ?? undefined);
    if (record === null) return true; // blank or not a JSON object: skipped
    const t = timeOf(record);
    // A time that does not parse passes the time filters (fail-open, spec §11).
    if (t !== null && this.settings.before !== null && t >= this.settings.before) return true;
    // Records are appended in time order: past the range's start, everything older is outside too.
    if (t !== null && this.settings.since !== null && t < this.settings.since) return false;
    if (!matchesLogFilters(record, this.settings.filters)) return true;
    this.entries.push({ record, raw, offset: line.offset });
    if (this.entries.length >= this.settings.limit) {
      this.full = true;
      this.hasMore = line.offset > 0;
      return this.hasMore;
    }
    return true;
  }

  /** After a full page: only an older record outside the time range proves there is nothing more. */
  private peek(record: Record<string, unknown> | null): boolean {
    if (record === null && ++this.peeked < MAX_PEEK_LINES) return true;
    const t = record === null ? null : timeOf(record);
    this.hasMore = !(this.settings.since !== null && t !== null && t < this.settings.since);
    return false;
  }
}

function parseBefore(before: string | undefined): number | null {
  if (before === undefined || before.trim() === "") return null;
  const t = parseAuditTime(before.trim());
  if (t === null) throw invalidArgument("before", `Invalid before '${before}': expected a timestamp like 2026-01-31T12:00:00.000Z.`);
  return t;
}

function settingsOf(options: LogQueryOptions, now: Date): { settings: PageSettings; applied: Record<string, string> } {
  const filters = normalizeLogFilters(options.filters ?? {}, options.type);
  const timeRange = options.timeRange ?? "5m";
  const applied = describeFilters(filters);
  if (timeRange !== "all") applied.time_range = timeRange;
  const before = parseBefore(options.before);
  if (before !== null) applied.before = options.before?.trim() ?? "";
  return {
    settings: {
      limit: validateLimit(options.limit, DEFAULT_LOG_LIMIT),
      since: timeRangeStart(timeRange, now),
      before,
      filters,
      windowBytes: options.windowBytes ?? READ_WINDOW_BYTES,
      scanCap: options.scanCap ?? SCAN_CAP_LINES,
    },
    applied,
  };
}

async function cursorEnd(handle: FileHandle, path: string, fileKey: string, inode: string, size: number, text: string): Promise<number> {
  const cursor = decodeLogCursor(text);
  if (cursor.fileKey !== fileKey) {
    throw new LogQueryError(LogQueryErrorCode.InvalidCursor, `The cursor belongs to ${cursor.fileKey}, not to ${fileKey}.`, { field: "cursor", path });
  }
  if (cursor.inode !== inode) throw staleCursor(path, "the file was replaced");
  if (cursor.offset > size) throw staleCursor(path, "the file is shorter than the cursor's position");
  if (cursor.sequence !== undefined) {
    const line = await readLineAt(handle, cursor.offset);
    const record = line === null ? null : recordOf(line.toString("utf8"));
    if (sequenceOf(record ?? undefined) !== cursor.sequence) throw staleCursor(path, `the entry at the cursor is no longer sequence ${cursor.sequence}`);
  }
  return cursor.offset;
}

function emptyPage(path: string, exists: boolean, applied: Record<string, string>): LogPage {
  return { entries: [], totalReturned: 0, totalScanned: 0, logFile: path, exists, hasMore: false, nextCursor: null, filtersApplied: applied };
}

/** One page of the log file at `path` (which holds the log `options.type`). */
export async function queryLogFile(path: string, options: LogQueryOptions): Promise<LogPage> {
  const info = logTypeInfo(options.type);
  const { settings, applied } = settingsOf(options, options.now ?? new Date());
  let handle: FileHandle;
  try {
    handle = await open(path, "r");
  } catch (error) {
    if (errnoCode(error) === "ENOENT") {
      if (options.cursor !== undefined) decodeLogCursor(options.cursor);
      return emptyPage(path, false, applied);
    }
    throw new LogQueryError(LogQueryErrorCode.ReadFailed, `Cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`, { path, cause: error });
  }
  try {
    const stats = await handle.stat({ bigint: true });
    if (!stats.isFile()) throw new LogQueryError(LogQueryErrorCode.ReadFailed, `Cannot read ${path}: it is not a regular file.`, { path });
    const size = Number(stats.size);
    const inode = stats.ino.toString();
    const end = options.cursor === undefined ? size : await cursorEnd(handle, path, info.fileKey, inode, size, options.cursor);
    const builder = new PageBuilder(end, settings);
    await scanLinesBackward(handle, end, (line) => builder.visit(line));
    const cursor = builder.hasMore
      ? encodeLogCursor({
          fileKey: info.fileKey,
          inode,
          offset: builder.resumeAt,
          ...(builder.resumeSequence !== undefined ? { sequence: builder.resumeSequence } : {}),
        })
      : null;
    return {
      entries: builder.entries,
      totalReturned: builder.entries.length,
      totalScanned: builder.scanned,
      logFile: path,
      exists: true,
      hasMore: builder.hasMore,
      nextCursor: cursor,
      filtersApplied: applied,
    };
  } catch (error) {
    if (error instanceof LogQueryError) throw error;
    throw new LogQueryError(LogQueryErrorCode.ReadFailed, `Cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`, { path, cause: error });
  } finally {
    await handle.close();
  }
}

/** One page of a proxy's log, given its log dir (`<log_dir>/mcp-acp/proxies/<name>`). */
export function queryLog(logDir: string, options: LogQueryOptions): Promise<LogPage> {
  return queryLogFile(logFilePath(logDir, logTypeInfo(options.type).fileKey), options);
}
