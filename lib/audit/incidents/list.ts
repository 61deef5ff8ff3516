// The merged incident list (spec audit.md §12): from each source up to 2×limit entries after the
// cursor and within the time filters, tagged, merged newest first and cut to `limit`. `proxy`
// restricts shutdowns and bootstrap records only: emergency records are global.

import { DEFAULT_INCIDENT_LIMIT, INCIDENT_FETCH_MULTIPLIER, SCAN_CAP_LINES } from "../query/constants.ts";
import { invalidArgument } from "../query/errors.ts";
import { validateLimit } from "../query/limits.ts";
import { type TimeRange, timeRangeStart } from "../query/time-range.ts";
import { parseAuditTime } from "../time.ts";
import { compareIncidentKeys, decodeIncidentCursor, encodeIncidentCursor, keyOf } from "./order.ts";
import { readIncidentSource } from "./read-source.ts";
import type { IncidentEntry, IncidentSource, IncidentType } from "./types.ts";

export interface IncidentQuery {
  /** Proxy name or id: only its shutdowns and bootstrap records (emergency records stay). */
  proxy?: string;
  /** Only these types (default all). */
  types?: readonly IncidentType[];
  /** Default `all`. */
  timeRange?: TimeRange;
  /** 1..1000, default 100. */
  limit?: number;
  /** A previous page's nextCursor. */
  cursor?: string;
  /** An instant: incidents at or after it are left out. */
  before?: string;
  now?: Date;
  /** Lines read per source (default 50 000). */
  scanCap?: number;
}

export interface IncidentPage {
  entries: IncidentEntry[];
  totalReturned: number;
  hasMore: boolean;
  nextCursor: string | null;
  filtersApplied: Record<string, string>;
}

function selected(source: IncidentSource, query: IncidentQuery): boolean {
  if (query.types !== undefined && query.types.length > 0 && !query.types.includes(source.type)) return false;
  if (query.proxy === undefined || query.proxy === "" || source.type === "emergency") return true;
  return source.proxyName === query.proxy || source.proxyId === query.proxy;
}

export async function listIncidents(sources: readonly IncidentSource[], query: IncidentQuery = {}): Promise<IncidentPage> {
  const limit = validateLimit(query.limit, DEFAULT_INCIDENT_LIMIT);
  const timeRange = query.timeRange ?? "all";
  const since = timeRangeStart(timeRange, query.now ?? new Date());
  let before: number | null = null;
  if (query.before !== undefined && query.before.trim() !== "") {
    before = parseAuditTime(query.before.trim());
    if (before === null) throw invalidArgument("before", `Invalid before '${query.before}': expected a timestamp like 2026-01-31T12:00:00.000Z.`);
  }
  const after = query.cursor === undefined || query.cursor === "" ? null : decodeIncidentCursor(query.cursor);
  const take = limit * INCIDENT_FETCH_MULTIPLIER;
  const merged: IncidentEntry[] = [];
  let sourceHasMore = false;
  for (const source of sources) {
    if (!selected(source, query)) continue;
    const taken: IncidentEntry[] = [];
    const { truncated } = await readIncidentSource(
      source,
      (entry) => {
        if (after !== null && compareIncidentKeys(keyOf(entry), after) <= 0) return true;
        // Unparseable times pass the time filters (fail-open, as for logs).
        if (entry.timeMs !== null && before !== null && entry.timeMs >= before) return true;
        if (entry.timeMs !== null && since !== null && entry.timeMs < since) return true;
        if (taken.length >= take) {
          sourceHasMore = true;
          return false;
        }
        taken.push(entry);
        return true;
      },
      query.scanCap ?? SCAN_CAP_LINES,
    );
    if (truncated) sourceHasMore = true;
    merged.push(...taken);
  }
  merged.sort((a, b) => compareIncidentKeys(keyOf(a), keyOf(b)));
  const hasMore = merged.length > limit || sourceHasMore;
  const entries = merged.slice(0, limit);
  const last = entries.at(-1);
  const filtersApplied: Record<string, string> = { time_range: timeRange };
  if (query.proxy !== undefined && query.proxy !== "") filtersApplied.proxy = query.proxy;
  if (query.types !== undefined && query.types.length > 0) filtersApplied.incident_type = query.types.join(",");
  if (before !== null) filtersApplied.before = query.before?.trim() ?? "";
  return {
    entries,
    totalReturned: entries.length,
    hasMore: hasMore && last !== undefined,
    nextCursor: hasMore && last !== undefined ? encodeIncidentCursor(keyOf(last)) : null,
    filtersApplied,
  };
}
