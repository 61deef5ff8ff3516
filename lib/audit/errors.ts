// The audit domain's single error class. Integrity findings of a verification are not errors (they
// are results, see verify-types.ts); AuditError is for misuse and for I/O that could not be done.

export enum AuditErrorCode {
  /** A record holds a value JSON cannot represent exactly (NaN, bigint, Date, undefined in an array…). */
  InvalidRecord = "AUDIT_INVALID_RECORD",
  /** A payload uses one of the chain's reserved keys (time, sequence, prev_hash, entry_hash). */
  ReservedKey = "AUDIT_RESERVED_KEY",
  /** A chain head handed to the sealer is not a valid (sequence, hash) pair. */
  InvalidChainHead = "AUDIT_INVALID_CHAIN_HEAD",
  /** The integrity state database is not a database, has an unknown schema or holds bad rows. */
  StateCorrupt = "AUDIT_STATE_CORRUPT",
  /** There is no integrity state database where one was expected. */
  StateNotFound = "AUDIT_STATE_NOT_FOUND",
  /** The integrity state database could not be opened or written (permissions, disk, lock). */
  StateUnavailable = "AUDIT_STATE_UNAVAILABLE",
  /** A log file could not be read. */
  ReadFailed = "AUDIT_READ_FAILED",
  /** A log file, sidecar or quarantine file could not be written. */
  WriteFailed = "AUDIT_WRITE_FAILED",
}

export interface AuditErrorOptions {
  path?: string;
  hint?: string;
  cause?: unknown;
}

export class AuditError extends Error {
  override readonly name = "AuditError";
  readonly code: AuditErrorCode;
  readonly path?: string;
  readonly hint?: string;

  constructor(code: AuditErrorCode, message: string, options: AuditErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    if (options.path !== undefined) this.path = options.path;
    if (options.hint !== undefined) this.hint = options.hint;
  }
}

/** The OS error's text (Node's messages already name the errno code and the path). */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function errnoCode(error: unknown): string | undefined {
  return typeof error === "object" && error !== null && "code" in error && typeof error.code === "string"
    ? error.code
    : undefined;
}
