// One error class for everything that can go wrong reaching a backend MCP server.

export enum BackendErrorCode {
  /** The config lacks the section the selected transport needs (or has neither). */
  NotConfigured = "BACKEND_NOT_CONFIGURED",
  /** Nothing answered: connection refused, unknown host, network unreachable. */
  Unreachable = "BACKEND_UNREACHABLE",
  /** The backend did not answer within http.timeout (or the probe's cap). */
  Timeout = "BACKEND_TIMEOUT",
  /** TLS handshake or certificate verification failed (never retried, never a fallback). */
  Tls = "BACKEND_TLS",
  /** The HTTP backend answered with an error status (never retried, never a fallback). */
  HttpStatus = "BACKEND_HTTP_STATUS",
  /** The backend answered with something that is not MCP (wrong content type, bad JSON). */
  BadResponse = "BACKEND_BAD_RESPONSE",
  /** The STDIO backend could not be started (command not found, not executable…). */
  SpawnFailed = "BACKEND_SPAWN_FAILED",
  /** The STDIO backend is no longer running. */
  Exited = "BACKEND_EXITED",
  /** Any other failure of a request to the backend. */
  RequestFailed = "BACKEND_REQUEST_FAILED",
}

export interface BackendErrorDetails {
  url?: string;
  status?: number;
  hint?: string;
  cause?: unknown;
}

export class BackendError extends Error {
  override readonly name = "BackendError";
  readonly code: BackendErrorCode;
  readonly url: string | undefined;
  readonly status: number | undefined;
  /** What the user can do about it, when there is something to say. */
  readonly hint: string | undefined;

  constructor(code: BackendErrorCode, message: string, details: BackendErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.url = details.url;
    this.status = details.status;
    this.hint = details.hint;
  }

  /** The message followed by the hint, for one-line CLI output. */
  get fullMessage(): string {
    return this.hint ? `${this.message} ${this.hint}` : this.message;
  }
}

export function isBackendError(value: unknown): value is BackendError {
  return value instanceof BackendError;
}
