// The manager error class (lifecycle, locks, auto-start). The CLI prints `message`, then `hint`.

export enum ManagerErrorCode {
  /** Another manager holds the lifetime lock or answers on manager.sock. */
  AlreadyRunning = "MANAGER_ALREADY_RUNNING",
  /** The runtime directory or a lock/PID file could not be used. */
  LockFailed = "MANAGER_LOCK_FAILED",
  /** A listener (manager.sock or an extension such as the HTTP gateway) could not start. */
  StartFailed = "MANAGER_START_FAILED",
  InvalidPort = "MANAGER_INVALID_PORT",
  /** `stop` found no running manager. */
  NotRunning = "MANAGER_NOT_RUNNING",
  /** `stop` sent SIGTERM but the manager was still there after the wait. */
  StopTimeout = "MANAGER_STOP_TIMEOUT",
}

export interface ManagerErrorOptions {
  hint?: string;
  cause?: unknown;
}

export class ManagerError extends Error {
  override readonly name = "ManagerError";
  readonly code: ManagerErrorCode;
  readonly hint?: string;

  constructor(code: ManagerErrorCode, message: string, options: ManagerErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    if (options.hint !== undefined) this.hint = options.hint;
  }
}

export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
