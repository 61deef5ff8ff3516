// Record timestamps (spec audit.md §3): written as UTC milliseconds with `Z`; readers also accept
// the original's microsecond forms (`…ssssssZ` and `…ssssss+00:00`).

/** `YYYY-MM-DDTHH:MM:SS.mmmZ` for `date` (default now). */
export function formatAuditTime(date: Date = new Date()): string {
  return date.toISOString();
}

const AUDIT_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Milliseconds since the epoch for any timestamp form the logs hold, or null when `text` is not
 * one. Sub-millisecond digits are truncated, as the writer does.
 */
export function parseAuditTime(text: string): number | null {
  const m = AUDIT_TIME.exec(text);
  if (m === null) return null;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const millis = frac === undefined ? 0 : Number(frac.padEnd(3, "0").slice(0, 3));
  let ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), millis);
  if (Number.isNaN(ms)) return null;
  if (zone !== undefined && zone !== "Z") {
    const sign = zone.startsWith("-") ? -1 : 1;
    ms -= sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60_000;
  }
  // Reject calendar overflow such as Feb 30 (Date.UTC silently rolls it over).
  const check = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (check.getUTCDate() !== Number(d) || check.getUTCMonth() !== Number(mo) - 1) return null;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return null;
  return ms;
}
