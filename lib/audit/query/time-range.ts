// Time ranges of the log and incident queries (spec audit.md §11, §14): the last 5 minutes, hour
// or day, or everything. Record times are parsed as instants (all three timestamp forms).

import { invalidArgument } from "./errors.ts";

export type TimeRange = "5m" | "1h" | "24h" | "all";

export const TIME_RANGES: readonly TimeRange[] = ["5m", "1h", "24h", "all"];

export const TIME_RANGE_SECONDS: Readonly<Record<Exclude<TimeRange, "all">, number>> = Object.freeze({
  "5m": 300,
  "1h": 3600,
  "24h": 86_400,
});

export function parseTimeRange(text: string, field = "time_range"): TimeRange {
  const normal = text.trim().toLowerCase();
  const found = TIME_RANGES.find((r) => r === normal);
  if (found === undefined) throw invalidArgument(field, `Invalid time range '${text}': expected one of ${TIME_RANGES.join(", ")}.`);
  return found;
}

/** Epoch milliseconds where the range starts, or null for `all`. */
export function timeRangeStart(range: TimeRange, now: Date): number | null {
  return range === "all" ? null : now.getTime() - TIME_RANGE_SECONDS[range] * 1000;
}
