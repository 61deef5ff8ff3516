// One hash-chained log file held open by the proxy's writer: O_APPEND, 0600, no symlinks. It seals
// each record after the previous one, appends the whole line with one write (rolled back when the
// write fails part-way), and syncs on request. It never touches the integrity state: the writer
// records a head there only once the line is on disk.
import { closeSync, constants, fchmodSync, fdatasync, fdatasyncSync, fstatSync, ftruncateSync, openSync, writeSync } from "node:fs";
import {
  AuditError,
  type ChainHead,
  type FileIdentity,
  type JsonObject,
  type ProtectedLogFile,
  type SealedRecord,
  logFilePath,
  sealRecord,
} from "../../../lib/audit/index.ts";
import { errorText, ProxyAuditError, ProxyAuditErrorCode } from "./errors.ts";
import { checkPathIdentity, identityOf, type NumericIdentity } from "./file-identity.ts";

export const LOG_FILE_MODE = 0o600;
const OPEN_FLAGS = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | (constants.O_NOFOLLOW ?? 0);

/** Where a verified file ends: its last chained entry and its size. */
export interface VerifiedEnd {
  /** 0 and GENESIS for a file without chained entries. */
  head: ChainHead;
  /** Offset where the last entry's line starts; -1 when there is none. */
  lastEntryOffset: number;
  /** Size of the verified content (the file must have exactly this size when opened). */
  size: number;
}

/** The head of the file as written (not necessarily synced). */
export interface WrittenHead {
  sequence: number;
  lastHash: string;
  /** Offset where the last entry's line starts. */
  offset: number;
  /** File size right after it. */
  size: number;
}

export class ChainedLogFile {
  readonly file: ProtectedLogFile;
  readonly path: string;
  readonly identity: FileIdentity;
  private readonly numericIdentity: NumericIdentity;
  private readonly logDir: string;
  private fd: number;
  private head: ChainHead;
  private lastEntryOffset: number;
  private size: number;
  /** The first failure; once set, nothing more is written to this file. */
  private failure: ProxyAuditError | null = null;

  private constructor(logDir: string, file: ProtectedLogFile, fd: number, identity: NumericIdentity, end: VerifiedEnd) {
    this.file = file;
    this.logDir = logDir;
    this.path = logFilePath(logDir, file.fileKey);
    this.fd = fd;
    this.numericIdentity = identity;
    this.identity = { inode: identity.ino.toString(), device: identity.dev.toString() };
    this.head = end.head;
    this.lastEntryOffset = end.lastEntryOffset;
    this.size = end.size;
  }

  /**
   * Opens (creating when missing) a file that was just verified to end at `end`. Throws
   * ProxyAuditError(Unwritable) when it cannot be opened for appending, and (IntegrityFailed)
   * when it is no longer the file that was verified.
   */
  static open(logDir: string, file: ProtectedLogFile, end: VerifiedEnd, verified: FileIdentity | null): ChainedLogFile {
    const path = logFilePath(logDir, file.fileKey);
    let fd: number;
    try {
      fd = openSync(path, OPEN_FLAGS, LOG_FILE_MODE);
    } catch (error) {
      throw new ProxyAuditError(ProxyAuditErrorCode.Unwritable, `Cannot open ${path} for appending: ${errorText(error)}`, {
        fileKey: file.fileKey,
        hint: "Check that the proxy's log directory is writable by you and the disk is not full.",
        cause: error,
      });
    }
    try {
      fchmodSync(fd, LOG_FILE_MODE);
      // The probe of spec §6.3: an append of nothing, synced, proves the file takes writes.
      writeSync(fd, "");
      fdatasyncSync(fd);
      const stats = fstatSync(fd, { bigint: true });
      const identity = identityOf(stats);
      const changed =
        !stats.isFile() ||
        Number(stats.size) !== end.size ||
        (verified !== null && (verified.inode !== identity.inode || verified.device !== identity.device));
      if (changed) {
        throw new ProxyAuditError(
          ProxyAuditErrorCode.IntegrityFailed,
          `${file.fileKey} changed between its verification and its opening (${Number(stats.size)} bytes, ${end.size} verified): another process is writing the proxy's logs`,
          { fileKey: file.fileKey },
        );
      }
      return new ChainedLogFile(logDir, file, fd, { ino: stats.ino, dev: stats.dev }, end);
    } catch (error) {
      closeSync(fd);
      if (error instanceof ProxyAuditError) throw error;
      throw new ProxyAuditError(ProxyAuditErrorCode.Unwritable, `Cannot append to ${path}: ${errorText(error)}`, { fileKey: file.fileKey, cause: error });
    }
  }

  get fileKey(): string {
    return this.file.fileKey;
  }

  get written(): WrittenHead {
    return { sequence: this.head.sequence, lastHash: this.head.lastHash, offset: this.lastEntryOffset, size: this.size };
  }

  get compromised(): ProxyAuditError | null {
    return this.failure;
  }

  get numeric(): NumericIdentity {
    return this.numericIdentity;
  }

  /** Marks the file as failed: every later append throws `error`'s reason. */
  compromise(error: ProxyAuditError): void {
    this.failure ??= error;
  }

  /** Throws ProxyAuditError unless the path still names the open file. */
  checkIdentity(): void {
    checkPathIdentity(this.path, this.numericIdentity, this.file.fileKey, this.logDir);
  }

  /**
   * Seals `payload` after the current head and appends it (not synced). Audit files are checked
   * for identity first. Throws ProxyAuditError; the file is then compromised unless the record
   * itself was invalid.
   */
  append(payload: JsonObject, now?: Date): SealedRecord {
    if (this.failure !== null) throw new ProxyAuditError(ProxyAuditErrorCode.Compromised, this.failure.message, { fileKey: this.fileKey, cause: this.failure });
    if (this.fd < 0) throw new ProxyAuditError(ProxyAuditErrorCode.Closed, `The audit writer of ${this.fileKey} is closed`, { fileKey: this.fileKey });
    let sealed: SealedRecord;
    try {
      sealed = sealRecord(payload, this.head, now === undefined ? {} : { time: now });
    } catch (error) {
      if (!(error instanceof AuditError)) throw error;
      throw new ProxyAuditError(ProxyAuditErrorCode.InvalidRecord, `A record for ${this.fileKey} could not be sealed: ${error.message}`, { fileKey: this.fileKey, cause: error });
    }
    try {
      if (this.file.identityCheckedOnWrite) this.checkIdentity();
      this.writeLine(Buffer.from(sealed.line, "utf8"));
    } catch (error) {
      const failure = error instanceof ProxyAuditError ? error : new ProxyAuditError(ProxyAuditErrorCode.WriteFailed, `Audit log write failed: ${this.path}: ${errorText(error)}`, { fileKey: this.fileKey, cause: error });
      this.compromise(failure);
      throw failure;
    }
    this.lastEntryOffset = this.size;
    this.size += sealed.bytes;
    this.head = sealed.head;
    return sealed;
  }

  /** fdatasync now. Throws ProxyAuditError(SyncFailed) and compromises the file on failure. */
  syncNow(): void {
    try {
      fdatasyncSync(this.fd);
    } catch (error) {
      throw this.syncFailure(error);
    }
  }

  /** fdatasync on the thread pool; `done` gets null or the failure (the file is then compromised). */
  syncInBackground(done: (failure: ProxyAuditError | null) => void): void {
    fdatasync(this.fd, (error) => done(error === null ? null : this.syncFailure(error)));
  }

  close(): void {
    if (this.fd < 0) return;
    try {
      closeSync(this.fd);
    } finally {
      this.fd = -1;
    }
  }

  private syncFailure(error: unknown): ProxyAuditError {
    const failure = new ProxyAuditError(ProxyAuditErrorCode.SyncFailed, `Audit log sync failed: ${this.path}: ${errorText(error)}`, { fileKey: this.fileKey, cause: error });
    this.compromise(failure);
    return failure;
  }

  /** One line, whole or not at all: a short write is completed, a failed one cut off again. */
  private writeLine(bytes: Buffer): void {
    let written = 0;
    try {
      while (written < bytes.length) written += writeSync(this.fd, bytes, written, bytes.length - written);
    } catch (error) {
      if (written > 0) {
        try {
          ftruncateSync(this.fd, this.size);
        } catch {
          // The torn tail stays; the next start quarantines it with an incident.
        }
      }
      throw error;
    }
  }
}
