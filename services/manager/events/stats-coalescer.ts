import type { Event } from "../../../lib/gen/mcpacp/api/v1/event_service_pb.ts";

interface ProxyStatsState {
  lastSentAt: number;
  pending: Event | undefined;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/**
 * Lets at most one stats_updated per proxy run through every `intervalMs`. A burst sends the
 * first update at once and the newest one when the interval is over; the ones between are
 * dropped (each carries the full counters, so nothing is lost).
 */
export class StatsCoalescer {
  private readonly states = new Map<string, ProxyStatsState>();

  constructor(
    private readonly intervalMs: number,
    private readonly emit: (event: Event) => void,
    private readonly now: () => number = Date.now,
  ) {}

  offer(key: string, event: Event): void {
    const t = this.now();
    const state = this.states.get(key);
    if (state === undefined) {
      this.states.set(key, { lastSentAt: t, pending: undefined, timer: undefined });
      this.emit(event);
      return;
    }
    if (state.timer === undefined && t - state.lastSentAt >= this.intervalMs) {
      state.lastSentAt = t;
      this.emit(event);
      return;
    }
    state.pending = event;
    if (state.timer === undefined) {
      const delay = Math.max(0, state.lastSentAt + this.intervalMs - t);
      state.timer = setTimeout(() => this.flush(key), delay);
      state.timer.unref?.();
    }
  }

  /** Forgets a proxy run (it disconnected): a held-back update must not follow its disconnect event. */
  drop(key: string): void {
    const state = this.states.get(key);
    if (state?.timer !== undefined) clearTimeout(state.timer);
    this.states.delete(key);
  }

  close(): void {
    for (const key of [...this.states.keys()]) this.drop(key);
  }

  private flush(key: string): void {
    const state = this.states.get(key);
    if (state === undefined) return;
    state.timer = undefined;
    const pending = state.pending;
    state.pending = undefined;
    if (pending === undefined) return;
    state.lastSentAt = this.now();
    this.emit(pending);
  }
}
