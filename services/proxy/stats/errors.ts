// The stats domain's error class: the latency store and its inputs.

export enum StatsErrorCode {
  /** A latency sample that is not a finite, non-negative number of milliseconds. */
  InvalidSample = "STATS_INVALID_SAMPLE",
  /** state.db could not be opened, read or written (permissions, disk full, locked). */
  StoreUnavailable = "STATS_STORE_UNAVAILABLE",
  /** state.db is not a sound SQLite database. */
  StoreCorrupt = "STATS_STORE_CORRUPT",
  /** The latency tables were written by a newer or unknown schema. */
  SchemaMismatch = "STATS_SCHEMA_MISMATCH",
}

export class StatsError extends Error {
  override readonly name = "StatsError";
  readonly code: StatsErrorCode;
  readonly path: string | undefined;

  constructor(code: StatsErrorCode, message: string, options: { path?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.path = options.path;
  }
}
