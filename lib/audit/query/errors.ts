// Errors of the log-reading API (spec audit.md §11): a bad argument names its field, a stale or
// foreign cursor says to start again, and an unreadable file names its path. Finding nothing is not
// an error (an empty page).

export enum LogQueryErrorCode {
  /** A parameter is out of range or not applicable (limit, time range, a filter for this log). */
  InvalidArgument = "LOG_QUERY_INVALID_ARGUMENT",
  /** The cursor is malformed, belongs to another log, or the file changed under it. */
  InvalidCursor = "LOG_QUERY_INVALID_CURSOR",
  /** A debug wire log was asked for while log_level is not DEBUG. */
  LogNotAvailable = "LOG_QUERY_LOG_NOT_AVAILABLE",
  /** The log file exists but could not be read. */
  ReadFailed = "LOG_QUERY_READ_FAILED",
}

export interface LogQueryErrorOptions {
  /** The parameter at fault, e.g. `limit` or `hitl_outcome`. */
  field?: string;
  path?: string;
  hint?: string;
  cause?: unknown;
}

export class LogQueryError extends Error {
  override readonly name = "LogQueryError";
  readonly code: LogQueryErrorCode;
  readonly field?: string;
  readonly path?: string;
  readonly hint?: string;

  constructor(code: LogQueryErrorCode, message: string, options: LogQueryErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    if (options.field !== undefined) this.field = options.field;
    if (options.path !== undefined) this.path = options.path;
    if (options.hint !== undefined) this.hint = options.hint;
  }
}

export function invalidArgument(field: string, message: string, hint?: string): LogQueryError {
  return new LogQueryError(LogQueryErrorCode.InvalidArgument, message, hint === undefined ? { field } : { field, hint });
}
