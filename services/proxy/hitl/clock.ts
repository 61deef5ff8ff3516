// Time as the HITL parts see it, injected so tests drive timeouts and TTLs without waiting.

/** Cancels a timer set with HitlClock.setTimer; calling it twice is harmless. */
export type CancelTimer = () => void;

export interface HitlClock {
  /** Monotonic milliseconds: ages, waits and expiry decisions (immune to wall-clock jumps). */
  monotonicMs(): number;
  /** Epoch milliseconds: timestamps shown to people and sent in messages. */
  epochMs(): number;
  /** Runs `callback` once after `delayMs`. */
  setTimer(callback: () => void, delayMs: number): CancelTimer;
}

export const systemClock: HitlClock = {
  monotonicMs: () => performance.now(),
  epochMs: () => Date.now(),
  setTimer(callback, delayMs) {
    const handle = setTimeout(callback, delayMs);
    return () => clearTimeout(handle);
  },
};
