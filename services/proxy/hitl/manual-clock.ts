// A HitlClock that moves only when told to: tests (here and in the integration) advance it and
// the timers that fall due run in order, synchronously.
import type { CancelTimer, HitlClock } from "./clock.ts";

interface ManualTimer {
  id: number;
  dueAt: number;
  callback: () => void;
}

export class ManualClock implements HitlClock {
  private now: number;
  private readonly epochOffset: number;
  private nextId = 1;
  private timers: ManualTimer[] = [];

  /** `startEpochMs` is what epochMs() returns at monotonic time 0. */
  constructor(startEpochMs = Date.UTC(2025, 0, 1)) {
    this.now = 0;
    this.epochOffset = startEpochMs;
  }

  monotonicMs(): number {
    return this.now;
  }

  epochMs(): number {
    return this.epochOffset + this.now;
  }

  setTimer(callback: () => void, delayMs: number): CancelTimer {
    const timer: ManualTimer = { id: this.nextId++, dueAt: this.now + Math.max(0, delayMs), callback };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t.id !== timer.id);
    };
  }

  /** Timers not yet fired or cancelled. */
  get pendingTimers(): number {
    return this.timers.length;
  }

  /** Moves time forward by `ms`, firing every timer that falls due, earliest first. */
  advance(ms: number): void {
    const target = this.now + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.dueAt <= target).sort((a, b) => a.dueAt - b.dueAt || a.id - b.id)[0];
      if (due === undefined) break;
      this.timers = this.timers.filter((t) => t.id !== due.id);
      this.now = due.dueAt;
      due.callback();
    }
    this.now = target;
  }
}
