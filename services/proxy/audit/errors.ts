// The proxy's audit domain error: everything that stops a record from being written durably, and
// every reason the startup gate refuses to run. Each one fails closed: the request in flight is
// refused and the proxy shuts down (at runtime), or it does not start (exit 10).

export enum ProxyAuditErrorCode {
  /** A log file (or its directory) is gone. */
  FileMissing = "audit_file_missing",
  /** The path now names another file than the one the writer opened (replaced, moved, recreated). */
  FileReplaced = "audit_file_replaced",
  /** The path cannot be checked (permissions, I/O error). */
  FileInaccessible = "audit_file_inaccessible",
  /** The line could not be appended (disk full, I/O error). */
  WriteFailed = "audit_write_failed",
  /** The appended line could not be synced to disk. */
  SyncFailed = "audit_sync_failed",
  /** The line is on disk but the integrity state could not record it. */
  StateWriteFailed = "audit_state_write_failed",
  /** The record could not be sealed (a value JSON cannot hold exactly). */
  InvalidRecord = "audit_invalid_record",
  /** An earlier failure on this file: nothing more is written to it. */
  Compromised = "audit_writer_compromised",
  /** The writer was closed. */
  Closed = "audit_writer_closed",
  /** Startup: the log files cannot be opened or created for appending. */
  Unwritable = "audit_unwritable",
  /** Startup: a chain, the state or a file identity does not verify. */
  IntegrityFailed = "audit_integrity_failed",
  /** Startup: another process holds this proxy's audit writer lock. */
  WriterLocked = "audit_writer_locked",
}

export class ProxyAuditError extends Error {
  override readonly name = "ProxyAuditError";
  readonly code: ProxyAuditErrorCode;
  /** The file key (`audit/decisions.jsonl`) the failure is about, when it is about one file. */
  readonly fileKey: string | undefined;
  readonly hint: string | undefined;

  constructor(code: ProxyAuditErrorCode, message: string, options: { fileKey?: string; hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.fileKey = options.fileKey;
    this.hint = options.hint;
  }
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function errnoOf(error: unknown): string | undefined {
  return typeof error === "object" && error !== null && "code" in error && typeof error.code === "string" ? error.code : undefined;
}
