// Timestamps between files (ISO strings, epoch ms) and protobuf Timestamps.
import { timestampDate, timestampFromDate, timestampFromMs, type Timestamp } from "@bufbuild/protobuf/wkt";

/** An ISO instant → Timestamp; undefined when absent or unparseable. */
export function timestampOfIso(iso: string | null | undefined): Timestamp | undefined {
  if (iso === null || iso === undefined) return undefined;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : timestampFromMs(ms);
}

export function timestampOfMs(ms: number | null | undefined): Timestamp | undefined {
  return ms === null || ms === undefined || !Number.isFinite(ms) ? undefined : timestampFromMs(ms);
}

export function timestampOf(date: Date): Timestamp {
  return timestampFromDate(date);
}

export function dateOf(timestamp: Timestamp | undefined): Date | undefined {
  return timestamp === undefined ? undefined : timestampDate(timestamp);
}
