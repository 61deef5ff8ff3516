// The integrity state (spec audit.md §6.5 [new]): one row per chained file in the proxy's state.db
// (bun:sqlite, WAL, synchronous=FULL), written after the line is appended and synced, so the
// state can lag the file but never lead it. The file is 0600 in a 0700 directory; SQLite gives its
// -wal and -shm files the database file's mode. Other tables of state.db belong to other modules.

import { Database, SQLiteError } from "bun:sqlite";
import { chmodSync, closeSync, existsSync, openSync } from "node:fs";
import { dirname } from "node:path";
import { ensurePrivateDir } from "../paths/index.ts";
import { AuditError, AuditErrorCode, describeError } from "./errors.ts";
import { isSha256Hex } from "./hash.ts";
import { computeStateMac, stateMacMatches } from "./state-mac.ts";
import type { VerifyFileResult } from "./verify-types.ts";

export const STATE_FILE_MODE = 0o600;
export const STATE_SCHEMA_VERSION = "1";

export interface IntegrityStateRow {
  /** e.g. `audit/operations.jsonl` */
  fileKey: string;
  /** Sequence of the last recorded entry (≥ 1; a file with no entry has no row). */
  sequence: number;
  /** entry_hash of that entry. */
  lastHash: string;
  /** Decimal strings (from a bigint stat): inode and device can exceed 2^53. */
  inode: string;
  device: string;
  /** File size right after that entry. */
  size: number;
  /** Byte offset where that entry's line starts. */
  offset: number;
  /** ISO time of the last update. */
  updatedAt: string;
  /** HMAC of the row when the store has a key; null otherwise. */
  mac: string | null;
}

export type IntegrityStateInput = Omit<IntegrityStateRow, "updatedAt" | "mac"> & { updatedAt?: string };

export interface OpenStateStoreOptions {
  /** Create the database (and its directory) when missing, and the schema. Default true. */
  create?: boolean;
  /** Key for the per-row MAC (see state-mac.ts); rows are then signed on put. */
  macKey?: Uint8Array;
  /**
   * SQLite `synchronous` for a writable store. Default "full": each put is on disk when it
   * returns. "normal" (WAL): a put survives a process crash but may be lost on power loss, so the
   * state can only fall behind its already-synced log (which startup reconciles) — the running
   * proxy's writer uses it to keep a second fsync off every request.
   */
  synchronous?: "full" | "normal";
}

interface RawRow {
  file_key: unknown;
  last_hash: unknown;
  last_sequence: unknown;
  last_inode: unknown;
  last_dev: unknown;
  last_size: unknown;
  last_offset: unknown;
  updated_at: unknown;
  mac: unknown;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
CREATE TABLE IF NOT EXISTS integrity_state (
  file_key TEXT PRIMARY KEY,
  last_hash TEXT NOT NULL,
  last_sequence INTEGER NOT NULL,
  last_inode TEXT NOT NULL,
  last_dev TEXT NOT NULL,
  last_size INTEGER NOT NULL,
  last_offset INTEGER NOT NULL,
  updated_at TEXT NOT NULL,
  mac TEXT
) STRICT;
INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', '${STATE_SCHEMA_VERSION}');
`;

const CORRUPT_CODES = new Set(["SQLITE_NOTADB", "SQLITE_CORRUPT", "SQLITE_CORRUPT_VTAB", "SQLITE_CORRUPT_SEQUENCE", "SQLITE_CORRUPT_INDEX"]);

function sqliteCode(error: unknown): string {
  return error instanceof SQLiteError ? (error.code ?? "") : "";
}

/** Maps a SQLite failure to StateCorrupt (the file is not a sound database) or StateUnavailable. */
function stateError(path: string, action: string, error: unknown): AuditError {
  if (error instanceof AuditError) return error;
  const code = sqliteCode(error);
  if (CORRUPT_CODES.has(code)) {
    return new AuditError(AuditErrorCode.StateCorrupt, `The integrity state database ${path} is corrupt (${describeError(error)})`, {
      path,
      hint: "The audit logs can no longer be checked against it; run `mcp-acp audit verify`, then `mcp-acp audit repair` once the logs are verified.",
      cause: error,
    });
  }
  return new AuditError(AuditErrorCode.StateUnavailable, `Cannot ${action} the integrity state database ${path}: ${describeError(error)}`, {
    path,
    hint: "Check the permissions of the proxy's log directory and that the disk is not full.",
    cause: error,
  });
}

function corruptRow(path: string, fileKey: string, field: string, value: unknown): AuditError {
  return new AuditError(AuditErrorCode.StateCorrupt, `Integrity state row "${fileKey}" in ${path} has an invalid ${field}: ${JSON.stringify(value) ?? String(value)}`, {
    path,
    hint: "The state was edited outside mcp-acp; verify the logs with `mcp-acp audit verify` and rebuild the state with `mcp-acp audit repair`.",
  });
}

const DECIMAL = /^(0|[1-9][0-9]*)$/;

function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

function rowFromRaw(path: string, raw: RawRow): IntegrityStateRow {
  const fileKey = typeof raw.file_key === "string" ? raw.file_key : String(raw.file_key);
  if (typeof raw.last_hash !== "string" || !isSha256Hex(raw.last_hash)) throw corruptRow(path, fileKey, "last_hash", raw.last_hash);
  if (!isCount(raw.last_sequence) || raw.last_sequence < 1) throw corruptRow(path, fileKey, "last_sequence", raw.last_sequence);
  if (typeof raw.last_inode !== "string" || !DECIMAL.test(raw.last_inode)) throw corruptRow(path, fileKey, "last_inode", raw.last_inode);
  if (typeof raw.last_dev !== "string" || !DECIMAL.test(raw.last_dev)) throw corruptRow(path, fileKey, "last_dev", raw.last_dev);
  if (!isCount(raw.last_size)) throw corruptRow(path, fileKey, "last_size", raw.last_size);
  if (!isCount(raw.last_offset) || raw.last_offset > raw.last_size) throw corruptRow(path, fileKey, "last_offset", raw.last_offset);
  if (typeof raw.updated_at !== "string") throw corruptRow(path, fileKey, "updated_at", raw.updated_at);
  if (raw.mac !== null && typeof raw.mac !== "string") throw corruptRow(path, fileKey, "mac", raw.mac);
  return {
    fileKey,
    sequence: raw.last_sequence,
    lastHash: raw.last_hash,
    inode: raw.last_inode,
    device: raw.last_dev,
    size: raw.last_size,
    offset: raw.last_offset,
    updatedAt: raw.updated_at,
    mac: raw.mac,
  };
}

function validateInput(path: string, row: IntegrityStateInput): void {
  const raw: RawRow = {
    file_key: row.fileKey,
    last_hash: row.lastHash,
    last_sequence: row.sequence,
    last_inode: row.inode,
    last_dev: row.device,
    last_size: row.size,
    last_offset: row.offset,
    updated_at: row.updatedAt ?? "",
    mac: null,
  };
  try {
    rowFromRaw(path, raw);
  } catch (error) {
    if (error instanceof AuditError) {
      throw new AuditError(AuditErrorCode.InvalidChainHead, `Refusing to record an invalid integrity state: ${error.message}`, { path });
    }
    throw error;
  }
}

/** Creates the database file 0600 before SQLite does, so it is never briefly world-readable. */
function createPrivateFile(path: string): void {
  ensurePrivateDir(dirname(path));
  closeSync(openSync(path, "a", STATE_FILE_MODE));
  chmodSync(path, STATE_FILE_MODE);
}

export class IntegrityStateStore {
  readonly path: string;
  private readonly db: Database;
  private readonly macKey: Uint8Array | undefined;
  private readonly hasTable: boolean;

  private constructor(path: string, db: Database, macKey: Uint8Array | undefined, hasTable: boolean) {
    this.path = path;
    this.db = db;
    this.macKey = macKey;
    this.hasTable = hasTable;
  }

  /**
   * Opens (by default creating) the state database. With `create: false` a missing database is
   * AuditError(StateNotFound) and nothing is created or migrated: the form for offline checks.
   */
  static open(path: string, options: OpenStateStoreOptions = {}): IntegrityStateStore {
    const create = options.create ?? true;
    if (!existsSync(path)) {
      if (!create) {
        throw new AuditError(AuditErrorCode.StateNotFound, `There is no integrity state database at ${path}`, { path });
      }
      try {
        createPrivateFile(path);
      } catch (error) {
        throw stateError(path, "create", error);
      }
    }
    let db: Database | undefined;
    try {
      db = new Database(path, { readwrite: true, create: false, strict: true });
      db.run("PRAGMA busy_timeout = 5000");
      let hasTable: boolean;
      if (create) {
        chmodSync(path, STATE_FILE_MODE);
        db.run("PRAGMA journal_mode = WAL");
        db.run(`PRAGMA synchronous = ${options.synchronous === "normal" ? "NORMAL" : "FULL"}`);
        db.transaction(() => db?.run(SCHEMA))();
        hasTable = true;
      } else {
        // Reading only: learn whether the schema exists instead of creating it.
        const table = db.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'integrity_state'").get();
        hasTable = table !== null;
      }
      const store = new IntegrityStateStore(path, db, options.macKey, hasTable);
      store.checkSchemaVersion();
      return store;
    } catch (error) {
      db?.close();
      throw stateError(path, "open", error);
    }
  }

  private checkSchemaVersion(): void {
    const hasMeta = this.db.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'meta'").get() !== null;
    if (!hasMeta) {
      if (this.hasTable) throw new AuditError(AuditErrorCode.StateCorrupt, `The integrity state database ${this.path} has no meta table`, { path: this.path });
      return;
    }
    const row = this.db.query("SELECT value FROM meta WHERE key = 'schema_version'").get() as { value: unknown } | null;
    if (row === null) {
      if (this.hasTable) throw new AuditError(AuditErrorCode.StateCorrupt, `The integrity state database ${this.path} has no schema_version`, { path: this.path });
      return;
    }
    if (row.value !== STATE_SCHEMA_VERSION) {
      throw new AuditError(
        AuditErrorCode.StateCorrupt,
        `The integrity state database ${this.path} has schema version ${JSON.stringify(row.value)}; this mcp-acp understands ${STATE_SCHEMA_VERSION}`,
        { path: this.path, hint: "Use the mcp-acp version that wrote it, or rebuild the state with `mcp-acp audit repair`." },
      );
    }
  }

  /** The row of one file, or null. Throws AuditError(StateCorrupt) for a malformed row. */
  get(fileKey: string): IntegrityStateRow | null {
    if (!this.hasTable) return null;
    try {
      const raw = this.db.query("SELECT * FROM integrity_state WHERE file_key = ?").get(fileKey) as RawRow | null;
      return raw === null ? null : rowFromRaw(this.path, raw);
    } catch (error) {
      throw stateError(this.path, "read", error);
    }
  }

  /** Every row, ordered by file key. */
  list(): IntegrityStateRow[] {
    if (!this.hasTable) return [];
    try {
      const raws = this.db.query("SELECT * FROM integrity_state ORDER BY file_key").all() as RawRow[];
      return raws.map((raw) => rowFromRaw(this.path, raw));
    } catch (error) {
      throw stateError(this.path, "read", error);
    }
  }

  /** Inserts or replaces a file's row (one transaction; durable on return with synchronous=FULL). */
  put(input: IntegrityStateInput): IntegrityStateRow {
    return this.putMany([input])[0] as IntegrityStateRow;
  }

  /** Several rows in one transaction. */
  putMany(inputs: readonly IntegrityStateInput[]): IntegrityStateRow[] {
    this.requireWritable();
    const rows = inputs.map((input) => {
      validateInput(this.path, input);
      const base = { ...input, updatedAt: input.updatedAt ?? new Date().toISOString() };
      return { ...base, mac: this.macKey === undefined ? null : computeStateMac(this.macKey, base) };
    });
    try {
      const statement = this.db.query(
        `INSERT INTO integrity_state (file_key, last_hash, last_sequence, last_inode, last_dev, last_size, last_offset, updated_at, mac)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(file_key) DO UPDATE SET last_hash = excluded.last_hash, last_sequence = excluded.last_sequence,
           last_inode = excluded.last_inode, last_dev = excluded.last_dev, last_size = excluded.last_size,
           last_offset = excluded.last_offset, updated_at = excluded.updated_at, mac = excluded.mac`,
      );
      this.db.transaction(() => {
        for (const r of rows) statement.run(r.fileKey, r.lastHash, r.sequence, r.inode, r.device, r.size, r.offset, r.updatedAt, r.mac);
      })();
    } catch (error) {
      throw stateError(this.path, "write", error);
    }
    return rows;
  }

  /**
   * Makes every committed row durable now (a full WAL checkpoint, synced), whatever the
   * `synchronous` setting: for the rows that must not be lost on power failure.
   */
  checkpoint(): void {
    this.requireWritable();
    try {
      this.db.run("PRAGMA wal_checkpoint(FULL)");
    } catch (error) {
      throw stateError(this.path, "checkpoint", error);
    }
  }

  /** Drops a file's row; returns whether there was one. */
  delete(fileKey: string): boolean {
    this.requireWritable();
    try {
      return this.db.query("DELETE FROM integrity_state WHERE file_key = ?").run(fileKey).changes > 0;
    } catch (error) {
      throw stateError(this.path, "write", error);
    }
  }

  /** Whether a row's MAC matches under this store's key; true when the store has no key. */
  macValid(row: IntegrityStateRow): boolean {
    return this.macKey === undefined || stateMacMatches(this.macKey, row, row.mac);
  }

  get signed(): boolean {
    return this.macKey !== undefined;
  }

  /** `PRAGMA journal_mode` (e.g. "wal"). */
  journalMode(): string {
    const row = this.db.query("PRAGMA journal_mode").get() as { journal_mode: string };
    return row.journal_mode;
  }

  /** `PRAGMA synchronous` (2 = FULL). */
  synchronous(): number {
    const row = this.db.query("PRAGMA synchronous").get() as { synchronous: number };
    return row.synchronous;
  }

  close(): void {
    this.db.close();
  }

  private requireWritable(): void {
    if (!this.hasTable) {
      throw new AuditError(AuditErrorCode.StateUnavailable, `The integrity state database ${this.path} was opened for reading only`, {
        path: this.path,
        hint: "Open it with create: true (the default) to record state.",
      });
    }
  }
}

/**
 * The row that records a verified file's current head (for adopting a lagging state, repair, or
 * after quarantining a torn line); null when the file has no chained entry.
 */
export function stateInputFromVerification(fileKey: string, result: VerifyFileResult): IntegrityStateInput | null {
  if (result.entries === 0 || result.lastHash === null || result.identity === null) return null;
  return {
    fileKey,
    sequence: result.lastSequence,
    lastHash: result.lastHash,
    inode: result.identity.inode,
    device: result.identity.device,
    size: result.verifiedSize,
    offset: result.lastEntryOffset,
  };
}
