// Signal handling for the whole run, installed first thing: SIGINT/SIGTERM ask for a clean stop
// (exit 0), SIGHUP reloads the policy. Installing early matters — Bun's default for an unhandled
// SIGHUP is to die, and a client may send it while the backend is still being probed.

export type StopReason = "SIGINT" | "SIGTERM";

export class StopSignals {
  /** Resolves with the first stop signal. */
  readonly stopped: Promise<StopReason>;
  private reason: StopReason | null = null;
  private resolveStopped: (reason: StopReason) => void = () => {};
  private reloadHandler: (() => void) | null = null;
  private readonly onStop = (signal: StopReason): void => {
    if (this.reason !== null) return;
    this.reason = signal;
    this.resolveStopped(signal);
  };
  private readonly onInt = (): void => this.onStop("SIGINT");
  private readonly onTerm = (): void => this.onStop("SIGTERM");
  private readonly onHup = (): void => this.reloadHandler?.();

  constructor() {
    this.stopped = new Promise((resolve) => {
      this.resolveStopped = resolve;
    });
    process.on("SIGINT", this.onInt);
    process.on("SIGTERM", this.onTerm);
    process.on("SIGHUP", this.onHup);
  }

  /** The stop signal received so far, if any. */
  get stopRequested(): StopReason | null {
    return this.reason;
  }

  /** What SIGHUP does from now on (until then it is ignored). */
  onReload(handler: () => void): void {
    this.reloadHandler = handler;
  }

  dispose(): void {
    process.off("SIGINT", this.onInt);
    process.off("SIGTERM", this.onTerm);
    process.off("SIGHUP", this.onHup);
    this.reloadHandler = null;
  }
}
