// The order of the merged incident list: newest instant first (parsed, not compared as text, spec
// audit.md §12 [new]); records without a readable time last; ties broken by source and position,
// so the order is total and a cursor can continue exactly after any entry.

import { LogQueryError, LogQueryErrorCode } from "../query/errors.ts";
import { INCIDENT_TYPES, type IncidentEntry, type IncidentType } from "./types.ts";

export interface IncidentKey {
  timeMs: number | null;
  type: IncidentType;
  proxyName: string | null;
  offset: number;
}

/** Negative when `a` comes before `b` (is newer). */
export function compareIncidentKeys(a: IncidentKey, b: IncidentKey): number {
  const ta = a.timeMs ?? Number.NEGATIVE_INFINITY;
  const tb = b.timeMs ?? Number.NEGATIVE_INFINITY;
  if (ta !== tb) return tb > ta ? 1 : -1;
  const type = INCIDENT_TYPES.indexOf(a.type) - INCIDENT_TYPES.indexOf(b.type);
  if (type !== 0) return type;
  const pa = a.proxyName ?? "";
  const pb = b.proxyName ?? "";
  if (pa !== pb) return pa < pb ? -1 : 1;
  return b.offset - a.offset;
}

export function keyOf(entry: IncidentEntry): IncidentKey {
  return { timeMs: entry.timeMs, type: entry.type, proxyName: entry.proxyName, offset: entry.offset };
}

const PREFIX = "i1.";

export function encodeIncidentCursor(key: IncidentKey): string {
  return PREFIX + Buffer.from(JSON.stringify({ t: key.timeMs, y: key.type, p: key.proxyName, o: key.offset }), "utf8").toString("base64url");
}

/** Whether text looks like an incidents cursor (rather than a timestamp). */
export function isIncidentCursor(text: string): boolean {
  return text.startsWith(PREFIX);
}

export function decodeIncidentCursor(text: string, field = "cursor"): IncidentKey {
  const bad = (): LogQueryError =>
    new LogQueryError(LogQueryErrorCode.InvalidCursor, `Invalid ${field}: not a cursor from a previous incidents page.`, {
      field,
      hint: "Pass the next_cursor of the previous page unchanged, or leave it out to start at the newest incident.",
    });
  if (!text.startsWith(PREFIX)) throw bad();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text.slice(PREFIX.length), "base64url").toString("utf8"));
  } catch {
    throw bad();
  }
  if (typeof parsed !== "object" || parsed === null) throw bad();
  const { t, y, p, o } = parsed as Record<string, unknown>;
  const type = INCIDENT_TYPES.find((k) => k === y);
  if ((t !== null && (typeof t !== "number" || !Number.isFinite(t))) || type === undefined || (p !== null && typeof p !== "string") || typeof o !== "number" || !Number.isSafeInteger(o) || o < 0) {
    throw bad();
  }
  return { timeMs: t, type, proxyName: p, offset: o };
}
