/** Reconnect delay before attempt `attempt` (0-based): initial × 2^attempt capped at max, plus jitter. */
export function backoffDelay(
  attempt: number,
  timing: { backoffInitialMs: number; backoffMaxMs: number; jitter: number },
  random: () => number = Math.random,
): number {
  const base = Math.min(timing.backoffMaxMs, timing.backoffInitialMs * 2 ** Math.min(attempt, 30));
  return Math.round(base + base * timing.jitter * random());
}
