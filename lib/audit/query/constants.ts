// Limits of the log-reading API (spec audit.md §11, §14).

/** Bytes one query reads back from its starting point (the window; a soft limit: one line may cross it). */
export const READ_WINDOW_BYTES = 10 * 1024 * 1024;
/** Non-blank lines one query looks at before it stops and hands out a cursor. */
export const SCAN_CAP_LINES = 50_000;
export const MIN_LIMIT = 1;
export const MAX_LIMIT = 1000;
/** Page size of the manager's log queries and of `mcp-acp logs show`. */
export const DEFAULT_LOG_LIMIT = 50;
export const DEFAULT_INCIDENT_LIMIT = 100;
/** Each incident source contributes up to this many times the page size before the merge. */
export const INCIDENT_FETCH_MULTIPLIER = 2;
/** Chunk size of the backward reader. */
export const BACKWARD_CHUNK_BYTES = 64 * 1024;
