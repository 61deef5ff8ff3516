// The audit writer lock of a proxy's log dir (`<log dir>/.writer.lock`): a file created
// exclusively, holding the owner's pid as JSON. The proxy holds it while it runs (taken before its
// logs are verified, so before its control socket opens); the manager and the CLI hold it while
// they change a stopped proxy's logs. One format, read and written here, shared by all three.
import { closeSync, constants, existsSync, fsyncSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { join } from "node:path";
import { AuditError, AuditErrorCode, describeError, errnoCode } from "./errors.ts";

export const WRITER_LOCK_FILE = ".writer.lock";

export interface HeldWriterLock {
  readonly path: string;
  release(): void;
}

export type WriterLockAttempt = { ok: true; lock: HeldWriterLock } | { ok: false; holderPid: number; path: string };

export function writerLockPath(logDir: string): string {
  return join(logDir, WRITER_LOCK_FILE);
}

/** The pid recorded in a lock file; null when it is missing, half-written or not a lock. */
export function writerLockOwnerPid(path: string): number | null {
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, "utf8"));
    const pid = typeof parsed === "object" && parsed !== null && "pid" in parsed ? parsed.pid : null;
    return typeof pid === "number" && Number.isSafeInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** Whether a process with this pid exists (EPERM: it exists but belongs to someone else). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errnoCode(error) === "EPERM";
  }
}

/** The text written into a lock file taken by this process. */
export function writerLockContent(holder?: string): string {
  return `${JSON.stringify({ pid: process.pid, started_at: new Date().toISOString(), ...(holder === undefined ? {} : { holder }) })}\n`;
}

/** The pid of a live process holding the lock of `logDir`, else null (no lock, or a stale one). */
export function writerLockHolder(logDir: string): number | null {
  const pid = writerLockOwnerPid(writerLockPath(logDir));
  return pid !== null && isProcessAlive(pid) ? pid : null;
}

export function isWriterLockHeld(logDir: string): boolean {
  return writerLockHolder(logDir) !== null;
}

/**
 * Takes the lock when nobody alive holds it (a stale or half-written lock is taken over). A lock
 * held by this process counts as held. `holder` names the taker in the file (e.g. "manager").
 * Needs `logDir` to exist.
 */
export function tryTakeWriterLock(logDir: string, holder?: string): WriterLockAttempt {
  const path = writerLockPath(logDir);
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), 0o600);
    } catch (error) {
      if (errnoCode(error) !== "EEXIST") {
        throw new AuditError(AuditErrorCode.WriteFailed, `Cannot create the audit writer lock ${path}: ${describeError(error)}`, { path, cause: error });
      }
      const pid = writerLockOwnerPid(path);
      if (pid !== null && isProcessAlive(pid)) return { ok: false, holderPid: pid, path };
      try {
        unlinkSync(path);
      } catch (unlinkError) {
        if (errnoCode(unlinkError) !== "ENOENT") {
          throw new AuditError(AuditErrorCode.WriteFailed, `Cannot remove the stale audit writer lock ${path}: ${describeError(unlinkError)}`, { path, cause: unlinkError });
        }
      }
      continue;
    }
    try {
      writeSync(fd, writerLockContent(holder));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    let held = true;
    return {
      ok: true,
      lock: {
        path,
        release() {
          if (!held) return;
          held = false;
          if (writerLockOwnerPid(path) !== process.pid || !existsSync(path)) return;
          try {
            unlinkSync(path);
          } catch {
            // Already gone: nothing to release.
          }
        },
      },
    };
  }
  throw new AuditError(AuditErrorCode.WriteFailed, `Cannot take the audit writer lock ${path}: another process keeps recreating it.`, { path });
}
