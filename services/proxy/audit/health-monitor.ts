// The audit health monitor (spec audit.md §8, §16.8): every interval (30 s) each chained file is
// checked — the path still names the writer's file, an append of nothing syncs, the entries
// written since the last check verify and end exactly where the writer says, and state.db holds
// exactly the rows the writer recorded (signed). It runs synchronously, between two writes, so it
// never sees a write half done: that is the writer's lock. Any finding, and any crash of the
// monitor itself, starts the fail-closed shutdown once.
import { closeSync, constants, fdatasyncSync, fstatSync, openSync, writeSync } from "node:fs";
import { type IntegrityStateRow, type ProtectedLogName, type VerifiedHead, verifyFile } from "../../../lib/audit/index.ts";
import type { AuditWriter } from "./audit-writer.ts";
import { errorText } from "./errors.ts";

/** Spec §14. Where the original re-read the last 10 entries, each check here covers every entry
 * written since the previous one. */
export const DEFAULT_MONITOR_INTERVAL_MS = 30_000;

export interface MonitorFinding {
  fileKey: string;
  path: string;
  reason: string;
}

export interface HealthMonitorOptions {
  writer: AuditWriter;
  intervalMs?: number;
  /** Where startup verification ended per file: the next check resumes there. */
  verified: ReadonlyMap<ProtectedLogName, VerifiedHead | undefined>;
  onFailure: (findings: MonitorFinding[]) => void;
  onCrash: (error: unknown) => void;
}

export class AuditHealthMonitor {
  private readonly writer: AuditWriter;
  private readonly intervalMs: number;
  private readonly verified: Map<ProtectedLogName, VerifiedHead | undefined>;
  private readonly onFailure: (findings: MonitorFinding[]) => void;
  private readonly onCrash: (error: unknown) => void;
  private timer: ReturnType<typeof setInterval> | null = null;
  private checks = 0;

  constructor(options: HealthMonitorOptions) {
    this.writer = options.writer;
    this.intervalMs = options.intervalMs ?? DEFAULT_MONITOR_INTERVAL_MS;
    if (!Number.isFinite(this.intervalMs) || this.intervalMs <= 0) throw new RangeError(`The audit monitor interval must be a positive number of milliseconds, got ${this.intervalMs}`);
    this.verified = new Map(options.verified);
    this.onFailure = options.onFailure;
    this.onCrash = options.onCrash;
  }

  /** Starts checking every interval (sleeping first). */
  start(): void {
    if (this.timer !== null) return;
    this.timer = setInterval(() => this.tick(), this.intervalMs);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  get running(): boolean {
    return this.timer !== null;
  }

  /** Completed rounds of checks. */
  get rounds(): number {
    return this.checks;
  }

  /** One round over every file; returns what is wrong (empty when all is well). */
  checkOnce(): MonitorFinding[] {
    const findings: MonitorFinding[] = [];
    for (const name of this.writer.fileNames) {
      const finding = this.checkFile(name);
      if (finding !== null) findings.push(finding);
    }
    try {
      this.writer.checkStateIdentity();
    } catch (error) {
      findings.push({ fileKey: "state.db", path: this.writer.stateStore.path, reason: errorText(error) });
    }
    this.checks++;
    return findings;
  }

  private tick(): void {
    if (this.writer.isClosed) {
      this.stop();
      return;
    }
    let findings: MonitorFinding[];
    try {
      findings = this.checkOnce();
    } catch (error) {
      this.stop();
      this.onCrash(error);
      return;
    }
    if (findings.length === 0) return;
    this.stop();
    this.onFailure(findings);
  }

  private checkFile(name: ProtectedLogName): MonitorFinding | null {
    const file = this.writer.fileOf(name);
    const { fileKey, path } = file;
    const found = (reason: string): MonitorFinding => ({ fileKey, path, reason });
    // Already failed: the writer reported it and the shutdown is under way.
    if (file.compromised !== null) return null;
    try {
      file.checkIdentity();
    } catch (error) {
      return found(errorText(error));
    }
    const probe = probeAppend(path, file.numeric);
    if (probe !== null) return found(probe);
    const head = file.written;
    const result = verifyFile(path, {
      label: fileKey,
      state: head.sequence === 0 ? null : { sequence: head.sequence, lastHash: head.lastHash, inode: file.identity.inode, device: file.identity.device, size: head.size },
      maxStateLag: 0,
      ...(this.verified.get(name) === undefined ? {} : { resume: this.verified.get(name) }),
    });
    if (result.problems.length > 0 || result.omittedProblems > 0) {
      return found(`Hash chain verification failed for ${fileKey}: ${result.problems[0]?.reason ?? "problems found"}`);
    }
    if (result.entries > 0 && result.lastHash !== null) {
      this.verified.set(name, { entryOffset: result.lastEntryOffset, line: result.lastLine, sequence: result.lastSequence, entryHash: result.lastHash });
    }
    return this.checkStateRow(name, fileKey, path);
  }

  private checkStateRow(name: ProtectedLogName, fileKey: string, path: string): MonitorFinding | null {
    const store = this.writer.stateStore;
    const expected = this.writer.persistedHead(name);
    const file = this.writer.fileOf(name);
    let row: IntegrityStateRow | null;
    try {
      row = store.get(fileKey);
    } catch (error) {
      return { fileKey, path, reason: `The integrity state row of ${fileKey} cannot be read: ${errorText(error)}` };
    }
    if (expected === null) {
      return row === null ? null : { fileKey, path, reason: `The integrity state has a row for ${fileKey} that the writer never recorded (sequence ${row.sequence}): state.db was edited` };
    }
    if (row === null) return { fileKey, path, reason: `The integrity state row of ${fileKey} was deleted (the writer recorded sequence ${expected.sequence})` };
    const same =
      row.sequence === expected.sequence &&
      row.lastHash === expected.lastHash &&
      row.size === expected.size &&
      row.offset === expected.offset &&
      row.inode === file.identity.inode &&
      row.device === file.identity.device;
    if (!same) {
      return { fileKey, path, reason: `The integrity state row of ${fileKey} says sequence ${row.sequence} (${row.lastHash}), but the writer recorded sequence ${expected.sequence} (${expected.lastHash}): state.db was rewritten` };
    }
    if (!store.macValid(row)) return { fileKey, path, reason: `The integrity state row of ${fileKey} fails its signature check: state.db was rewritten` };
    return null;
  }
}

/** Opens the path for appending (never creating it), appends nothing, syncs; null when all is well. */
function probeAppend(path: string, identity: { ino: bigint; dev: bigint }): string | null {
  let fd: number;
  try {
    fd = openSync(path, constants.O_WRONLY | constants.O_APPEND | (constants.O_NOFOLLOW ?? 0));
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === "EACCES" || code === "EPERM" || code === "EROFS") return `Audit log file not writable (permission denied): ${path}: ${errorText(error)}`;
    return `Audit log file inaccessible: ${path}: ${errorText(error)}`;
  }
  try {
    writeSync(fd, "");
    fdatasyncSync(fd);
    const stats = fstatSync(fd, { bigint: true });
    if (stats.ino !== identity.ino || stats.dev !== identity.dev) return `Audit log file replaced while being checked: ${path}`;
    return null;
  } catch (error) {
    return `Audit log file cannot be synced: ${path}: ${errorText(error)}`;
  } finally {
    closeSync(fd);
  }
}
