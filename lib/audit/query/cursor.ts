// Page cursors of the log-reading API. The original paged with a timestamp, which drops records
// that share a millisecond at page edges and cannot reach past the read window (spec audit.md §11
// [new]). A cursor here names a position in one file: the byte offset of the oldest line already
// handed out, the file's inode (a replaced file invalidates it) and, for chained files, that
// line's sequence (checked again when the cursor is used). Opaque to callers: `c1.` + base64url.

import { LogQueryError, LogQueryErrorCode } from "./errors.ts";

export interface LogCursor {
  /** The file the cursor belongs to, e.g. `audit/decisions.jsonl`. */
  fileKey: string;
  /** Decimal inode of the file when the cursor was made. */
  inode: string;
  /** Next page: lines that end at or before this byte offset (a line start). */
  offset: number;
  /** Sequence of the line starting at `offset`, when it is a chained record. */
  sequence?: number;
}

const PREFIX = "c1.";

export function encodeLogCursor(cursor: LogCursor): string {
  const body: Record<string, string | number> = { f: cursor.fileKey, i: cursor.inode, o: cursor.offset };
  if (cursor.sequence !== undefined) body.s = cursor.sequence;
  return PREFIX + Buffer.from(JSON.stringify(body), "utf8").toString("base64url");
}

function bad(text: string, field: string): LogQueryError {
  const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  return new LogQueryError(LogQueryErrorCode.InvalidCursor, `Invalid ${field} '${shown}': not a cursor from a previous page.`, {
    field,
    hint: "Pass the next_cursor of the previous page unchanged, or leave it out to start at the newest entry.",
  });
}

/** Whether text looks like a cursor (rather than a timestamp). */
export function isLogCursor(text: string): boolean {
  return text.startsWith(PREFIX);
}

export function decodeLogCursor(text: string, field = "cursor"): LogCursor {
  if (!isLogCursor(text)) throw bad(text, field);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text.slice(PREFIX.length), "base64url").toString("utf8"));
  } catch {
    throw bad(text, field);
  }
  if (typeof parsed !== "object" || parsed === null) throw bad(text, field);
  const { f, i, o, s } = parsed as Record<string, unknown>;
  const validSeq = s === undefined || (typeof s === "number" && Number.isSafeInteger(s) && s >= 1);
  if (typeof f !== "string" || typeof i !== "string" || !/^[0-9]+$/.test(i) || typeof o !== "number" || !Number.isSafeInteger(o) || o < 0 || !validSeq) {
    throw bad(text, field);
  }
  return typeof s === "number" ? { fileKey: f, inode: i, offset: o, sequence: s } : { fileKey: f, inode: i, offset: o };
}

export function staleCursor(path: string, why: string): LogQueryError {
  return new LogQueryError(LogQueryErrorCode.InvalidCursor, `The cursor no longer fits ${path}: ${why}.`, {
    field: "cursor",
    path,
    hint: "The file was repaired, replaced or truncated since that page; start again from the newest entries.",
  });
}
