// Idle shutdown (spec manager.md §2): checked every 30 s, never in the first 60 s, and only when
// no proxy is attached, no dashboard stream is open and nothing happened for 300 s. Activity is
// reported by the link (attach, detach), the hub (subscribe, unsubscribe) and the gateway (API
// calls other than status calls).

export const IDLE_DEFAULTS = Object.freeze({ checkMs: 30_000, graceMs: 60_000, timeoutMs: 300_000 });

export interface IdleMonitorOptions {
  checkMs?: number;
  graceMs?: number;
  timeoutMs?: number;
  /** True while something keeps the manager in use (attached proxies, subscribers). */
  isBusy: () => boolean;
  onIdle: () => void;
  now?: () => number;
}

export class IdleMonitor {
  private readonly startedAt: number;
  private lastActivity: number;
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly now: () => number;

  constructor(private readonly options: IdleMonitorOptions) {
    this.now = options.now ?? Date.now;
    this.startedAt = this.now();
    this.lastActivity = this.startedAt;
  }

  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => this.check(), this.options.checkMs ?? IDLE_DEFAULTS.checkMs);
  }

  /** Something happened that counts as use. */
  activity(): void {
    this.lastActivity = this.now();
  }

  /** Milliseconds since the last activity. */
  get idleForMs(): number {
    return this.now() - this.lastActivity;
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One check; exported for tests that drive time themselves. */
  check(): boolean {
    const now = this.now();
    if (now - this.startedAt < (this.options.graceMs ?? IDLE_DEFAULTS.graceMs)) return false;
    if (this.options.isBusy()) return false;
    if (now - this.lastActivity < (this.options.timeoutMs ?? IDLE_DEFAULTS.timeoutMs)) return false;
    this.stop();
    this.options.onIdle();
    return true;
  }
}
