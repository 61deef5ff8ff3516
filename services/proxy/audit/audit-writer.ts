// The proxy's one audit writer (spec audit.md §16.3): it owns the six chained files and the
// integrity state. Per record: seal, append, sync, then record the head in state.db — so a line is
// on disk before its state row, and the state can lag a file but never lead it.
//
// Durability per file:
// - decisions, auth and both histories are synced before write() returns: a decision is on disk
//   before its request is forwarded;
// - operations and system records are appended at once (so they survive a crash of the process)
//   and synced by a group commit on the thread pool within GROUP_COMMIT_MS, so many records
//   share one fdatasync (spec §16.3 allows ~10 ms) and it rarely meets the decision sync of a
//   request (measured: syncing both together each time costs more); their state rows follow
//   each completed sync.
//
// A file's first record is always synced and its state row checkpointed, so a file with entries
// always has a row, even after a crash or power loss.
//
// A record that cannot be written goes to the fallback chain, the file is marked compromised, and
// onFailure starts the fail-closed shutdown.
import { statSync } from "node:fs";
import {
  AuditError,
  type EmergencyEventType,
  type IntegrityStateStore,
  type JsonObject,
  type ProtectedLogName,
  type SealedRecord,
  type SystemFields,
  buildSystemRecord,
} from "../../../lib/audit/index.ts";
import type { ChainedLogFile, WrittenHead } from "./chained-file.ts";
import { errorText, ProxyAuditError, ProxyAuditErrorCode } from "./errors.ts";
import type { AuditFallback, FallbackTarget } from "./fallback.ts";
import type { NumericIdentity } from "./file-identity.ts";

export type Durability = "sync" | "group";

/** How long a group file's appended records may wait for their shared fdatasync. */
export const GROUP_COMMIT_MS = 10;

export const DURABILITY: Readonly<Record<ProtectedLogName, Durability>> = Object.freeze({
  operations: "group",
  decisions: "sync",
  auth: "sync",
  system: "group",
  config_history: "sync",
  policy_history: "sync",
});

// The files whose refused records take the fallback chain (spec §7). The system log is itself the
// chain's first step: its own refused records are printed on stderr.
const EMERGENCY_TYPE: Readonly<Partial<Record<ProtectedLogName, EmergencyEventType>>> = Object.freeze({
  operations: "operation",
  decisions: "decision",
  auth: "auth",
  config_history: "config",
  policy_history: "policy",
});

export interface AuditFailureReport {
  name: ProtectedLogName;
  fileKey: string;
  reason: string;
  error: ProxyAuditError;
  /** Where the refused record went; null when no record was at stake (a failed group sync). */
  fallback: FallbackTarget | null;
}

export interface AuditWriterOptions {
  store: IntegrityStateStore;
  /** state.db's identity when opened: a replaced database must not take rows unnoticed. */
  statePath: string;
  stateIdentity: NumericIdentity;
  files: ReadonlyMap<ProtectedLogName, ChainedLogFile>;
  fallback: AuditFallback;
  onFailure: (failure: AuditFailureReport) => void;
}

interface GroupSync {
  /** A sync is scheduled or running. */
  inFlight: boolean;
  /** Records were appended after the running sync began. */
  again: boolean;
  done: Promise<void>;
  timer: ReturnType<typeof setTimeout> | null;
  /** Starts the scheduled sync at once (close() does not wait out the window). */
  runNow: (() => void) | null;
}

export class AuditWriter {
  private readonly store: IntegrityStateStore;
  private readonly statePath: string;
  private readonly stateIdentity: NumericIdentity;
  private readonly files: ReadonlyMap<ProtectedLogName, ChainedLogFile>;
  private readonly fallback: AuditFallback;
  private readonly onFailure: (failure: AuditFailureReport) => void;
  private readonly groups = new Map<ProtectedLogName, GroupSync>();
  private readonly persisted = new Map<ProtectedLogName, WrittenHead>();
  private closed = false;

  constructor(options: AuditWriterOptions) {
    this.store = options.store;
    this.statePath = options.statePath;
    this.stateIdentity = options.stateIdentity;
    this.files = options.files;
    this.fallback = options.fallback;
    this.onFailure = options.onFailure;
    for (const [name, file] of this.files) {
      const head = file.written;
      if (head.sequence > 0) this.persisted.set(name, head);
    }
    options.fallback.useSystemLog((fields) => this.attemptSystem("CRITICAL", "audit_fallback", fields));
  }

  /**
   * Writes one record to `name`; when this returns, it is on disk (sync files) or appended with
   * its sync under way (group files). Throws ProxyAuditError after saving the record to the
   * fallback chain and reporting the failure.
   */
  write(name: ProtectedLogName, payload: JsonObject): SealedRecord {
    const file = this.fileOf(name);
    if (this.closed) throw new ProxyAuditError(ProxyAuditErrorCode.Closed, `The audit writer is closed; ${file.fileKey} takes no more records`, { fileKey: file.fileKey });
    try {
      const sealed = file.append(payload);
      // A file's first record is synced and recorded at once, durably: once a file holds
      // entries it must have a state row, which may then lag it but never be missing.
      if (DURABILITY[name] === "sync" || !this.persisted.has(name)) {
        file.syncNow();
        this.persist(name, file, file.written);
      } else {
        this.scheduleSync(name, file);
      }
      return sealed;
    } catch (error) {
      const failure = asAuditError(error, file.fileKey);
      this.fail(name, failure, payload);
      throw failure;
    }
  }

  /** write() for records whose loss must not reach the client (auth, system): false on failure. */
  tryWrite(name: ProtectedLogName, payload: JsonObject): boolean {
    try {
      this.write(name, payload);
      return true;
    } catch {
      return false;
    }
  }

  /** The file of `name`, for the health monitor. */
  fileOf(name: ProtectedLogName): ChainedLogFile {
    const file = this.files.get(name);
    if (file === undefined) throw new RangeError(`No audit file ${name}`);
    return file;
  }

  get fileNames(): ProtectedLogName[] {
    return [...this.files.keys()];
  }

  /** The head last recorded in state.db for `name` (null before its first entry). */
  persistedHead(name: ProtectedLogName): WrittenHead | null {
    return this.persisted.get(name) ?? null;
  }

  get stateStore(): IntegrityStateStore {
    return this.store;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Throws ProxyAuditError when state.db is no longer the database the writer opened. */
  checkStateIdentity(): void {
    let ino: bigint | undefined;
    let dev: bigint | undefined;
    let kind = "missing";
    try {
      const stats = statSync(this.statePath, { bigint: true, throwIfNoEntry: false });
      if (stats !== undefined) {
        ino = stats.ino;
        dev = stats.dev;
        kind = stats.isFile() ? "another file" : stats.isDirectory() ? "a directory" : "not a regular file";
      }
    } catch (error) {
      throw new ProxyAuditError(ProxyAuditErrorCode.FileInaccessible, `Integrity state database inaccessible: ${this.statePath}: ${errorText(error)}`, { cause: error });
    }
    if (ino !== this.stateIdentity.ino || dev !== this.stateIdentity.dev) {
      throw new ProxyAuditError(
        ino === undefined ? ProxyAuditErrorCode.FileMissing : ProxyAuditErrorCode.FileReplaced,
        ino === undefined ? `Integrity state database deleted: ${this.statePath}` : `Integrity state database replaced or moved: ${this.statePath} is now ${kind}`,
      );
    }
  }

  /** Waits for running group syncs, syncs what is left, records it, and closes every file. */
  async close(): Promise<void> {
    if (this.closed) return;
    // A finished sync may have scheduled the next one: repeat until none is pending.
    for (;;) {
      const pending = [...this.groups.values()].filter((g) => g.inFlight);
      if (pending.length === 0) break;
      for (const group of pending) group.runNow?.();
      await Promise.all(pending.map((g) => g.done));
    }
    this.closed = true;
    for (const [name, file] of this.files) {
      if (DURABILITY[name] !== "group" || file.compromised !== null) continue;
      const head = file.written;
      if (head.sequence === (this.persisted.get(name)?.sequence ?? 0)) continue;
      try {
        file.syncNow();
        this.persist(name, file, head);
      } catch {
        // Shutting down anyway: the state lags this file, which the next start reconciles.
      }
    }
    for (const file of this.files.values()) file.close();
    this.store.close();
  }

  /** A system record written without falling back (the fallback chain's own first step). */
  private attemptSystem(level: "CRITICAL", event: string, fields: SystemFields): boolean {
    const file = this.files.get("system");
    if (file === undefined || this.closed || file.compromised !== null) return false;
    try {
      file.append(buildSystemRecord(level, event, fields) as JsonObject);
      this.scheduleSync("system", file);
      return true;
    } catch {
      return false;
    }
  }

  private persist(name: ProtectedLogName, file: ChainedLogFile, head: WrittenHead): void {
    if (head.sequence <= (this.persisted.get(name)?.sequence ?? 0)) return;
    const firstRow = !this.persisted.has(name);
    try {
      this.checkStateIdentity();
      this.store.put({
        fileKey: file.fileKey,
        sequence: head.sequence,
        lastHash: head.lastHash,
        inode: file.identity.inode,
        device: file.identity.device,
        size: head.size,
        offset: head.offset,
      });
      if (firstRow) this.store.checkpoint();
    } catch (error) {
      const failure =
        error instanceof ProxyAuditError
          ? error
          : new ProxyAuditError(ProxyAuditErrorCode.StateWriteFailed, `Integrity state update failed for ${file.fileKey}: ${errorText(error)}`, { fileKey: file.fileKey, cause: error });
      file.compromise(failure);
      throw failure;
    }
    this.persisted.set(name, head);
  }

  private scheduleSync(name: ProtectedLogName, file: ChainedLogFile): void {
    let group = this.groups.get(name);
    if (group === undefined) {
      group = { inFlight: false, again: false, done: Promise.resolve(), timer: null, runNow: null };
      this.groups.set(name, group);
    }
    if (group.inFlight) {
      group.again = true;
      return;
    }
    group.inFlight = true;
    const g = group;
    g.done = new Promise((resolve) => {
      const run = (): void => {
        if (g.timer !== null) clearTimeout(g.timer);
        g.timer = null;
        g.runNow = null;
        if (this.closed) {
          g.inFlight = false;
          resolve();
          return;
        }
        const target = file.written;
        file.syncInBackground((failure) => {
          g.inFlight = false;
          if (!this.closed) {
            try {
              if (failure !== null) throw failure;
              this.persist(name, file, target);
            } catch (error) {
              this.fail(name, asAuditError(error, file.fileKey), null);
            }
            if (g.again && file.compromised === null) {
              g.again = false;
              this.scheduleSync(name, file);
            }
          }
          resolve();
        });
      };
      g.runNow = run;
      g.timer = setTimeout(run, GROUP_COMMIT_MS);
    });
  }

  private fail(name: ProtectedLogName, failure: ProxyAuditError, record: JsonObject | null): void {
    const file = this.fileOf(name);
    let fallback: FallbackTarget | null = null;
    const eventType = EMERGENCY_TYPE[name];
    if (record !== null) fallback = eventType === undefined ? this.fallback.lost(file.fileKey, record, failure.message) : this.fallback.record(eventType, file.fileKey, record, failure.message);
    try {
      this.onFailure({ name, fileKey: file.fileKey, reason: failure.message, error: failure, fallback });
    } catch {
      // The shutdown coordinator reports its own problems on stderr.
    }
  }
}

function asAuditError(error: unknown, fileKey: string): ProxyAuditError {
  if (error instanceof ProxyAuditError) return error;
  if (error instanceof AuditError) return new ProxyAuditError(ProxyAuditErrorCode.InvalidRecord, error.message, { fileKey, cause: error });
  return new ProxyAuditError(ProxyAuditErrorCode.WriteFailed, `Audit log write failed for ${fileKey}: ${errorText(error)}`, { fileKey, cause: error });
}
