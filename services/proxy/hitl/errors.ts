// The HITL domain's error class. Resolution refusals carry a code the control service maps to a
// gRPC status plus an ErrorDetail code (see proto.ts); the codes are those ErrorDetail strings.

export enum HitlErrorCode {
  /** No pending approval has this id (never existed, or ended long ago). */
  NotFound = "APPROVAL_NOT_FOUND",
  /** The approval already ended (resolved, timed out or cancelled) before this resolution. */
  AlreadyResolved = "APPROVAL_ALREADY_RESOLVED",
  /** The approver saw other arguments or another policy version than the approval holds. */
  Stale = "APPROVAL_STALE",
  /** The approver is not the subject whose request waits. */
  Unauthorized = "APPROVAL_UNAUTHORIZED",
  /** The resolution names no usable action. */
  InvalidAction = "APPROVAL_INVALID_ACTION",
  /** A request or option the broker cannot work with (bad timeout, unhashable arguments…). */
  InvalidRequest = "APPROVAL_INVALID_REQUEST",
  /** The broker was closed (proxy stopping). */
  Closed = "APPROVAL_BROKER_CLOSED",
  /** A watcher fell too far behind; its feed was ended so it can reconnect and resync. */
  WatchOverflow = "APPROVAL_WATCH_OVERFLOW",
  /** No approval cache entry has this (subject, tool, path). */
  CacheEntryNotFound = "CACHED_APPROVAL_NOT_FOUND",
}

export class HitlError extends Error {
  override readonly name = "HitlError";
  readonly code: HitlErrorCode;
  readonly approvalId: string | undefined;

  constructor(code: HitlErrorCode, message: string, options: { approvalId?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.approvalId = options.approvalId;
  }
}

export function isHitlError(value: unknown): value is HitlError {
  return value instanceof HitlError;
}
