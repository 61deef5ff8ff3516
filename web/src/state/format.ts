// Display formats shared by cards, countdowns and charts. Pure, so they are unit-tested.

/** "1m 5s", "45s", "1h 2m"; "expired" at or below zero. */
export function formatCountdown(ms: number): string {
  if (ms <= 0) return "expired";
  const total = Math.ceil(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${s}s`;
  return `${s}s`;
}

/** Median latency as on the cards: "~14ms", "~1.2s", "–" when unknown. */
export function formatLatency(ms: number | undefined, samples = 1): string {
  if (ms === undefined || samples === 0 || !Number.isFinite(ms)) return "–";
  if (ms >= 1000) return `~${(ms / 1000).toFixed(1)}s`;
  if (ms >= 10) return `~${Math.round(ms)}ms`;
  return `~${ms.toFixed(1)}ms`;
}

/** Axis label for a millisecond value: "0", "850ms", "1.5s", "2m". */
export function formatMsShort(ms: number): string {
  if (ms === 0) return "0";
  if (ms < 1) return `${ms.toFixed(2)}ms`;
  if (ms < 10) return `${Number(ms.toFixed(1))}ms`;
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(1))}s`;
  return `${Number((ms / 60_000).toFixed(1))}m`;
}

/** HH:MM:SS in local time. */
export function formatClock(d: Date): string {
  return d.toLocaleTimeString([], { hour12: false, hour: "2-digit", minute: "2-digit", second: "2-digit" });
}

/** HH:MM in local time. */
export function formatHourMinute(d: Date): string {
  return d.toLocaleTimeString([], { hour12: false, hour: "2-digit", minute: "2-digit" });
}

/** Truncate from the left so the end of a path stays visible. */
export function truncateLeft(text: string, max: number): string {
  if (text.length <= max) return text;
  return `…${text.slice(text.length - max + 1)}`;
}

export function truncateRight(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max - 1)}…`;
}

export function formatCount(n: number | bigint): string {
  return Number(n).toLocaleString();
}
