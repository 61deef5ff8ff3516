// Conventions shared by every record (spec audit.md §3): levels, chain fields, injection defence,
// rounding and the omission of null optional fields.

import type { JsonObject } from "../canonical-json.ts";

/** Levels a log record may carry; the chained system log holds WARNING and above. */
export type LogLevel = "DEBUG" | "INFO" | "WARNING" | "ERROR" | "CRITICAL";
export type SystemLevel = "WARNING" | "ERROR" | "CRITICAL";

/** Fields the chain adds to every record of the six protected files. */
export interface ChainFields {
  time: string;
  sequence: number;
  prev_hash: string;
  entry_hash: string;
}

/** A record as stored in a chained file. */
export type Chained<T> = ChainFields & T;

/** Stand-in for an absent or unusable session id, request id or method. */
export const UNKNOWN = "unknown";

/**
 * Paths and file names in records have LF, CR and TAB replaced by the two-character sequences
 * `\n`, `\r`, `\t`, so a crafted name cannot forge a line in a text view of the log.
 */
export function escapeLineBreaks(text: string): string {
  return text.replace(/[\n\r\t]/g, (c) => (c === "\n" ? "\\n" : c === "\r" ? "\\r" : "\\t"));
}

/** A request or session id is unsafe to log when it holds CR or LF (spec §3): it is discarded. */
export function isSafeLogId(id: string): boolean {
  return !/[\r\n]/.test(id);
}

/** An id as records carry it: a string without CR/LF, else `"unknown"`. */
export function logId(id: string | number | null | undefined): string {
  if (id === null || id === undefined) return UNKNOWN;
  const text = String(id);
  return text === "" || !isSafeLogId(text) ? UNKNOWN : text;
}

/** Rounds milliseconds to 2 decimals, as every duration field is written. */
export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/** A copy of `record` without members whose value is null or undefined (spec §3 framing). */
export function withoutNulls<T extends object>(record: T): T {
  const out = Object.create(null) as Record<string, unknown>;
  for (const [key, value] of Object.entries(record)) if (value !== null && value !== undefined) out[key] = value;
  return out as T;
}

/** Narrows a typed record to the JSON payload the chain sealer takes. */
export function asPayload(record: object): JsonObject {
  return record as JsonObject;
}
