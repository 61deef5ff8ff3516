// Per-session, per-tool loop limiter (spec §9.2 with the "Beyond the original" change): a sliding
// window of the calls that were forwarded. check() runs before evaluation and does not count;
// record() runs only when a call proceeds, so denied calls never use up the window.

export interface LoopLimiterOptions {
  threshold: number;
  windowMs: number;
  /** Millisecond clock (monotonic). */
  now: () => number;
  /** Distinct (session, tool) windows kept before stale ones are swept (default 10 000). */
  maxKeys?: number;
}

export interface LoopCheck {
  breach: boolean;
  /** Calls recorded in the window. */
  count: number;
}

export class ToolLoopLimiter {
  // Tool names come from the client, so the key space is bounded (maxKeys) and each window
  // holds at most `threshold` timestamps.
  private readonly windows = new Map<string, number[]>();
  private readonly threshold: number;
  private readonly windowMs: number;
  private readonly now: () => number;
  private readonly maxKeys: number;

  constructor(options: LoopLimiterOptions) {
    this.threshold = options.threshold;
    this.windowMs = options.windowMs;
    this.now = options.now;
    this.maxKeys = options.maxKeys ?? 10_000;
  }

  check(sessionId: string, toolName: string): LoopCheck {
    const window = this.pruned(key(sessionId, toolName), this.now());
    const count = window?.length ?? 0;
    return { breach: count >= this.threshold, count };
  }

  record(sessionId: string, toolName: string): void {
    const k = key(sessionId, toolName);
    const now = this.now();
    const window = this.pruned(k, now);
    if (window === undefined) {
      if (this.windows.size >= this.maxKeys) this.sweep(now);
      this.windows.set(k, [now]);
      return;
    }
    window.push(now);
    // Never more than the threshold: older entries cannot change a verdict.
    if (window.length > this.threshold) window.splice(0, window.length - this.threshold);
  }

  /** Forgets one tool's window (e.g. after a human approved a breach). */
  reset(sessionId: string, toolName: string): void {
    this.windows.delete(key(sessionId, toolName));
  }

  clear(): void {
    this.windows.clear();
  }

  get size(): number {
    return this.windows.size;
  }

  private pruned(k: string, now: number): number[] | undefined {
    const window = this.windows.get(k);
    if (window === undefined) return undefined;
    const cutoff = now - this.windowMs;
    let drop = 0;
    while (drop < window.length && (window[drop] as number) <= cutoff) drop++;
    if (drop > 0) window.splice(0, drop);
    if (window.length === 0) {
      this.windows.delete(k);
      return undefined;
    }
    return window;
  }

  private sweep(now: number): void {
    for (const k of [...this.windows.keys()]) this.pruned(k, now);
    // Still full: drop the oldest-created windows (Map keeps insertion order).
    for (const k of this.windows.keys()) {
      if (this.windows.size < this.maxKeys) break;
      this.windows.delete(k);
    }
  }
}

function key(sessionId: string, toolName: string): string {
  return `${sessionId}\u0000${toolName}`;
}
