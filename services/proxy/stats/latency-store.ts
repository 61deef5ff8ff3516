// The three latency windows of a proxy (spec manager.md §8 and §12): proxy_total (time the proxy
// added to allowed requests that needed no human), policy_eval (every policy check) and hitl_wait
// (every HITL outcome, cache hits as 0). Each keeps the last 1000 samples in memory and in the
// proxy's state.db, table latency_samples(metric, seq, ms), trimmed to 1000 rows per metric in the
// same transaction as the insert and reloaded at open, so the windows survive a restart.
// Writes are off the request path: samples are buffered and written in one transaction per batch.
// state.db is shared with the audit integrity state (lib/audit/state-store.ts): same `meta` table
// definition, our own key latency_schema_version, our own table, our own connection.

import { Database, SQLiteError } from "bun:sqlite";
import { chmodSync, closeSync, existsSync, openSync } from "node:fs";
import { dirname } from "node:path";
import { ensurePrivateDir } from "../../../lib/paths/index.ts";
import { StatsError, StatsErrorCode } from "./errors.ts";
import { LatencyRing } from "./latency-ring.ts";
import { type LatencySummary, summarizeLatency } from "./latency-summary.ts";

export type LatencyMetric = "proxy_total" | "policy_eval" | "hitl_wait";
export const LATENCY_METRICS: readonly LatencyMetric[] = ["proxy_total", "policy_eval", "hitl_wait"];
export const LATENCY_WINDOW = 1000;
export const LATENCY_SCHEMA_KEY = "latency_schema_version";
export const LATENCY_SCHEMA_VERSION = "1";
export const STATE_DB_FILE_MODE = 0o600;
export const DEFAULT_FLUSH_INTERVAL_MS = 1000;
export const DEFAULT_FLUSH_BATCH_SIZE = 200;

export type LatencySummaries = Record<LatencyMetric, LatencySummary>;

export interface LatencyStoreOptions {
  /** Buffered samples are written at most this long after they are recorded (default 1000 ms). */
  flushIntervalMs?: number;
  /** A batch this large is written at once (default 200). */
  flushBatchSize?: number;
  /**
   * A background write failed (reported once until a write succeeds again); the samples stay
   * buffered (up to one window per metric) and are retried every flush interval.
   */
  onError?: (error: StatsError) => void;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
CREATE TABLE IF NOT EXISTS latency_samples (
  metric TEXT NOT NULL,
  seq INTEGER NOT NULL,
  ms REAL NOT NULL,
  PRIMARY KEY (metric, seq)
) STRICT, WITHOUT ROWID;
INSERT OR IGNORE INTO meta (key, value) VALUES ('${LATENCY_SCHEMA_KEY}', '${LATENCY_SCHEMA_VERSION}');
`;

const CORRUPT_CODES = new Set(["SQLITE_NOTADB", "SQLITE_CORRUPT", "SQLITE_CORRUPT_VTAB", "SQLITE_CORRUPT_SEQUENCE", "SQLITE_CORRUPT_INDEX"]);

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function storeError(path: string, action: string, error: unknown): StatsError {
  if (error instanceof StatsError) return error;
  const code = error instanceof SQLiteError ? (error.code ?? "") : "";
  if (CORRUPT_CODES.has(code)) {
    return new StatsError(StatsErrorCode.StoreCorrupt, `The proxy state database ${path} is corrupt (${describe(error)}); latency history cannot be kept in it`, { path, cause: error });
  }
  return new StatsError(StatsErrorCode.StoreUnavailable, `Cannot ${action} latency samples in ${path}: ${describe(error)}. Check the permissions of the proxy's log directory and that the disk is not full.`, {
    path,
    cause: error,
  });
}

function isMetric(value: unknown): value is LatencyMetric {
  return typeof value === "string" && (LATENCY_METRICS as readonly string[]).includes(value);
}

function validSample(ms: unknown): ms is number {
  return typeof ms === "number" && Number.isFinite(ms) && ms >= 0;
}

interface Buffered {
  seq: number;
  ms: number;
}

export class LatencyStore {
  readonly path: string;
  private readonly db: Database;
  private readonly rings: Record<LatencyMetric, LatencyRing>;
  private readonly nextSeq: Record<LatencyMetric, number>;
  private readonly buffer: Record<LatencyMetric, Buffered[]>;
  private buffered = 0;
  private readonly flushIntervalMs: number;
  private readonly flushBatchSize: number;
  private readonly onError: (error: StatsError) => void;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private isClosed = false;
  // Report a failing disk once per streak, not once per retry.
  private failing = false;

  private constructor(path: string, db: Database, options: LatencyStoreOptions) {
    this.path = path;
    this.db = db;
    this.flushIntervalMs = options.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS;
    this.flushBatchSize = options.flushBatchSize ?? DEFAULT_FLUSH_BATCH_SIZE;
    this.onError = options.onError ?? (() => {});
    this.rings = { proxy_total: new LatencyRing(LATENCY_WINDOW), policy_eval: new LatencyRing(LATENCY_WINDOW), hitl_wait: new LatencyRing(LATENCY_WINDOW) };
    this.nextSeq = { proxy_total: 1, policy_eval: 1, hitl_wait: 1 };
    this.buffer = { proxy_total: [], policy_eval: [], hitl_wait: [] };
  }

  /**
   * Opens (creating when missing: directory 0700, file 0600) the state database and loads the last
   * 1000 samples of each metric. Throws StatsError when the file cannot be used.
   */
  static open(path: string, options: LatencyStoreOptions = {}): LatencyStore {
    if (options.flushBatchSize !== undefined && (!Number.isSafeInteger(options.flushBatchSize) || options.flushBatchSize < 1)) {
      throw new StatsError(StatsErrorCode.InvalidSample, `flushBatchSize must be a positive integer, got ${options.flushBatchSize}`);
    }
    let db: Database | undefined;
    try {
      if (!existsSync(path)) {
        // Create it 0600 before SQLite does, so it is never briefly readable by others.
        ensurePrivateDir(dirname(path));
        closeSync(openSync(path, "a", STATE_DB_FILE_MODE));
      }
      chmodSync(path, STATE_DB_FILE_MODE);
      db = new Database(path, { readwrite: true, create: false, strict: true });
      db.run("PRAGMA busy_timeout = 5000");
      db.run("PRAGMA journal_mode = WAL");
      // Per connection: latency samples need not survive a power cut, unlike the audit state.
      db.run("PRAGMA synchronous = NORMAL");
      const conn = db;
      conn.transaction(() => conn.run(SCHEMA))();
      const store = new LatencyStore(path, db, options);
      store.checkSchema();
      store.load();
      return store;
    } catch (error) {
      db?.close();
      throw storeError(path, "open", error);
    }
  }

  private checkSchema(): void {
    const row = this.db.query("SELECT value FROM meta WHERE key = ?").get(LATENCY_SCHEMA_KEY) as { value: unknown } | null;
    if (row?.value !== LATENCY_SCHEMA_VERSION) {
      throw new StatsError(
        StatsErrorCode.SchemaMismatch,
        `The latency tables in ${this.path} have schema version ${JSON.stringify(row?.value ?? null)}; this mcp-acp understands ${LATENCY_SCHEMA_VERSION}. Use the mcp-acp version that wrote them.`,
        { path: this.path },
      );
    }
  }

  private load(): void {
    const recent = this.db.query("SELECT seq, ms FROM latency_samples WHERE metric = ? ORDER BY seq DESC LIMIT ?");
    const maxSeq = this.db.query("SELECT MAX(seq) AS seq FROM latency_samples WHERE metric = ?");
    for (const metric of LATENCY_METRICS) {
      const rows = recent.all(metric, LATENCY_WINDOW) as { seq: unknown; ms: unknown }[];
      for (const row of rows.reverse()) if (validSample(row.ms)) this.rings[metric].push(row.ms);
      const top = (maxSeq.get(metric) as { seq: unknown } | null)?.seq;
      this.nextSeq[metric] = typeof top === "number" && Number.isSafeInteger(top) ? top + 1 : 1;
    }
  }

  /** Adds one sample (ms ≥ 0). Cheap: memory now, disk in the next batch. */
  record(metric: LatencyMetric, ms: number): void {
    if (!isMetric(metric)) throw new StatsError(StatsErrorCode.InvalidSample, `Unknown latency metric ${JSON.stringify(metric)}; use one of ${LATENCY_METRICS.join(", ")}`);
    if (!validSample(ms)) throw new StatsError(StatsErrorCode.InvalidSample, `Latency sample for ${metric} must be a finite number of milliseconds ≥ 0, got ${String(ms)}`);
    this.rings[metric].push(ms);
    if (this.isClosed) return;
    const queue = this.buffer[metric];
    queue.push({ seq: this.nextSeq[metric]++, ms });
    this.buffered += 1;
    // Only the last window matters on disk, so a long outage never buffers more than that.
    if (queue.length > LATENCY_WINDOW) {
      queue.shift();
      this.buffered -= 1;
    }
    if (this.buffered >= this.flushBatchSize) this.flushInBackground();
    else this.scheduleFlush();
  }

  summary(metric: LatencyMetric): LatencySummary {
    return summarizeLatency(this.rings[metric].toArray());
  }

  summaries(): LatencySummaries {
    return { proxy_total: this.summary("proxy_total"), policy_eval: this.summary("policy_eval"), hitl_wait: this.summary("hitl_wait") };
  }

  /** The window of one metric, oldest first. */
  samples(metric: LatencyMetric): number[] {
    return this.rings[metric].toArray();
  }

  /** Samples recorded but not yet written. */
  get pendingWrites(): number {
    return this.buffered;
  }

  /** Rows stored for one metric (never more than the window after a flush). */
  storedCount(metric: LatencyMetric): number {
    const row = this.db.query("SELECT COUNT(*) AS n FROM latency_samples WHERE metric = ?").get(metric) as { n: number };
    return row.n;
  }

  /** Writes buffered samples now, in one transaction. Throws StatsError (samples stay buffered). */
  flush(): void {
    this.cancelTimer();
    if (this.buffered === 0 || this.isClosed) return;
    const insert = this.db.query("INSERT OR REPLACE INTO latency_samples (metric, seq, ms) VALUES (?, ?, ?)");
    const trim = this.db.query("DELETE FROM latency_samples WHERE metric = ? AND seq <= ?");
    try {
      this.db.transaction(() => {
        for (const metric of LATENCY_METRICS) {
          const queue = this.buffer[metric];
          const last = queue[queue.length - 1];
          if (last === undefined) continue;
          for (const sample of queue) insert.run(metric, sample.seq, sample.ms);
          trim.run(metric, last.seq - LATENCY_WINDOW);
        }
      })();
    } catch (error) {
      throw storeError(this.path, "write", error);
    }
    for (const metric of LATENCY_METRICS) this.buffer[metric] = [];
    this.buffered = 0;
  }

  /** `PRAGMA journal_mode` of this connection ("wal"). */
  journalMode(): string {
    return (this.db.query("PRAGMA journal_mode").get() as { journal_mode: string }).journal_mode;
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /** Writes what is buffered and closes the database; later samples stay in memory only. */
  close(): void {
    if (this.isClosed) return;
    try {
      this.flush();
    } finally {
      this.isClosed = true;
      this.cancelTimer();
      this.db.close();
    }
  }

  private scheduleFlush(): void {
    if (this.timer !== null) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flushInBackground();
    }, this.flushIntervalMs);
    this.timer.unref?.();
  }

  private flushInBackground(): void {
    try {
      this.flush();
      this.failing = false;
    } catch (error) {
      if (!this.failing) this.onError(error instanceof StatsError ? error : storeError(this.path, "write", error));
      this.failing = true;
      this.scheduleFlush();
    }
  }

  private cancelTimer(): void {
    if (this.timer === null) return;
    clearTimeout(this.timer);
    this.timer = null;
  }
}
