// Reads the records of one log that fall into a recent period, newest first, without loading the
// file: the backward reader stops at the first record older than the period (records are appended
// in time order) or at a line cap, whichever comes first. Used for the activity charts and the rule
// hit counts, which must work on large logs and while the proxy keeps appending.

import { open, type FileHandle } from "node:fs/promises";
import { errnoCode } from "../errors.ts";
import { parseAuditTime } from "../time.ts";
import { scanLinesBackward, type BackwardLine } from "./backward-reader.ts";
import { LogQueryError, LogQueryErrorCode } from "./errors.ts";

/** Lines one recent-period scan looks at per file before it stops (and reports truncated). */
export const RECENT_SCAN_CAP_LINES = 1_000_000;

export interface RecentScanOptions {
  /** Epoch ms: records older than this end the scan. */
  sinceMs: number;
  /** Epoch ms: records at or after this are skipped (written after the period ended). */
  untilMs: number;
  /** Default RECENT_SCAN_CAP_LINES. */
  scanCap?: number;
}

export interface RecentScan {
  /** False when the file does not exist (a proxy that never ran, or never decided anything). */
  exists: boolean;
  /** Non-blank complete lines looked at. */
  scanned: number;
  /** The line cap was reached before a record older than `sinceMs`: older records were not read. */
  truncated: boolean;
  /** Time of the oldest record handed to the visitor; null when none was. */
  oldestMs: number | null;
}

/** A visited record and its time (epoch ms). */
export type RecentRecordVisitor = (record: Record<string, unknown>, timeMs: number) => void;

function recordOf(bytes: Buffer): Record<string, unknown> | null {
  try {
    const parsed: unknown = JSON.parse(bytes.toString("utf8"));
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function readFailed(path: string, error: unknown): LogQueryError {
  const detail = error instanceof Error ? error.message : String(error);
  return new LogQueryError(LogQueryErrorCode.ReadFailed, `Cannot read ${path}: ${detail}`, { path, cause: error });
}

/**
 * Visits every record of the file at `path` whose `time` lies in [sinceMs, untilMs), newest first.
 * Lines that are blank, torn (no newline yet) or not JSON objects, and records without a parseable
 * time, are skipped: they cannot be placed in time.
 */
export async function scanRecentRecords(path: string, options: RecentScanOptions, visit: RecentRecordVisitor): Promise<RecentScan> {
  const cap = options.scanCap ?? RECENT_SCAN_CAP_LINES;
  let handle: FileHandle;
  try {
    handle = await open(path, "r");
  } catch (error) {
    if (errnoCode(error) === "ENOENT") return { exists: false, scanned: 0, truncated: false, oldestMs: null };
    throw readFailed(path, error);
  }
  const result: RecentScan = { exists: true, scanned: 0, truncated: false, oldestMs: null };
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new LogQueryError(LogQueryErrorCode.ReadFailed, `Cannot read ${path}: it is not a regular file.`, { path });
    await scanLinesBackward(handle, stats.size, (line: BackwardLine) => {
      if (!line.complete || line.bytes.length === 0) return true;
      if (result.scanned >= cap) {
        result.truncated = true;
        return false;
      }
      result.scanned++;
      const record = recordOf(line.bytes);
      const time = record !== null && typeof record.time === "string" ? parseAuditTime(record.time) : null;
      if (record === null || time === null || time >= options.untilMs) return true;
      if (time < options.sinceMs) return false;
      result.oldestMs = time;
      visit(record, time);
      return true;
    });
    return result;
  } catch (error) {
    if (error instanceof LogQueryError) throw error;
    throw readFailed(path, error);
  } finally {
    await handle.close();
  }
}
