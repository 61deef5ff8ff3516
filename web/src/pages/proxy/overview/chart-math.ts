// Scales, ticks and paths for the hand-written SVG charts. Pure, unit-tested.

/** Smallest "nice" number (1, 2, 2.5, 5 × 10^k) at or above v; 1 for v ≤ 0. */
export function niceCeil(v: number): number {
  if (!(v > 0) || !Number.isFinite(v)) return 1;
  const exp = Math.floor(Math.log10(v));
  const base = 10 ** exp;
  for (const m of [1, 2, 2.5, 5, 10]) {
    const candidate = m * base;
    if (candidate >= v * (1 - 1e-9)) return Number(candidate.toPrecision(12));
  }
  return 10 * base;
}

/** `count` + 1 evenly spaced ticks from 0 to max (inclusive). */
export function ticks(max: number, count: number): number[] {
  const out: number[] = [];
  for (let i = 0; i <= count; i++) out.push(Number(((max * i) / count).toPrecision(12)));
  return out;
}

export interface LinearScale {
  (v: number): number;
}

/** Maps [d0, d1] onto [r0, r1]; a zero-width domain maps to r0. */
export function linearScale(d0: number, d1: number, r0: number, r1: number): LinearScale {
  const span = d1 - d0;
  return (v: number) => (span === 0 ? r0 : r0 + ((v - d0) / span) * (r1 - r0));
}

/**
 * SVG path through the points; `undefined` values break the line (an interval without
 * samples is a gap, not a zero). Single isolated points become a tiny horizontal dash so
 * they stay visible.
 */
export function linePath(values: readonly (number | undefined)[], x: (i: number) => number, y: LinearScale): string {
  const parts: string[] = [];
  let open = false;
  values.forEach((v, i) => {
    if (v === undefined) {
      open = false;
      return;
    }
    const px = x(i).toFixed(1);
    const py = y(v).toFixed(1);
    const nextDefined = values[i + 1] !== undefined;
    if (!open) {
      parts.push(`M${px},${py}`);
      if (!nextDefined) parts.push(`h0.01`);
      open = true;
    } else {
      parts.push(`L${px},${py}`);
    }
  });
  return parts.join(" ");
}

/** Indexes of `count` labels spread across `n` items, always including the last. */
export function labelIndexes(n: number, count: number): number[] {
  if (n <= 0) return [];
  if (n <= count) return [...Array(n).keys()];
  const step = (n - 1) / (count - 1);
  const out = new Set<number>();
  for (let i = 0; i < count; i++) out.add(Math.round(i * step));
  return [...out];
}

/** Axis for whole counts: a 1/2/5×10^k step giving at most `maxTicks` intervals, and the top value. */
export function countAxis(max: number, maxTicks = 4): { top: number; ticks: number[] } {
  let step = 1;
  const target = Math.max(1, max) / maxTicks;
  for (let base = 1; ; base *= 10) {
    const s = [1, 2, 5, 10].map((m) => m * base).find((c) => c >= target);
    if (s !== undefined) {
      step = s;
      break;
    }
  }
  const top = Math.max(step, Math.ceil(Math.max(1, max) / step) * step);
  const out: number[] = [];
  for (let v = 0; v <= top; v += step) out.push(v);
  return { top, ticks: out };
}
