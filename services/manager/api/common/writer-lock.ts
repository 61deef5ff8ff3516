// The proxy's audit writer lock (`<log dir>/.writer.lock`, an exclusive file holding the owner's
// pid), taken by the manager while it changes a stopped proxy's logs (offline repair, deletion):
// a proxy that starts meanwhile finds the lock held and refuses to start, and a running proxy
// (attached or headless) is detected by its lock. The file format is the one the proxy writes
// (services/proxy/audit/writer-lock.ts); the two must stay in step.
import { closeSync, constants, existsSync, fsyncSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { join } from "node:path";

export const WRITER_LOCK_FILE = ".writer.lock";

export interface HeldWriterLock {
  readonly path: string;
  release(): void;
}

export type WriterLockAttempt = { ok: true; lock: HeldWriterLock } | { ok: false; holderPid: number; path: string };

function errnoCode(error: unknown): string | undefined {
  return typeof error === "object" && error !== null && "code" in error && typeof error.code === "string" ? error.code : undefined;
}

function ownerPid(path: string): number | null {
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, "utf8"));
    const pid = typeof parsed === "object" && parsed !== null && "pid" in parsed ? parsed.pid : null;
    return typeof pid === "number" && Number.isSafeInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errnoCode(error) === "EPERM";
  }
}

/** The pid of a live process holding the lock of `logDir`, else null. */
export function writerLockHolder(logDir: string): number | null {
  const pid = ownerPid(join(logDir, WRITER_LOCK_FILE));
  return pid !== null && alive(pid) ? pid : null;
}

/**
 * Takes the lock when nobody alive holds it (a stale lock is taken over). A lock held by this
 * process (another manager operation on the same proxy) counts as held. Needs `logDir` to exist.
 */
export function tryTakeWriterLock(logDir: string): WriterLockAttempt {
  const path = join(logDir, WRITER_LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), 0o600);
    } catch (error) {
      if (errnoCode(error) !== "EEXIST") throw error;
      const pid = ownerPid(path);
      if (pid !== null && alive(pid)) return { ok: false, holderPid: pid, path };
      try {
        unlinkSync(path);
      } catch (unlinkError) {
        if (errnoCode(unlinkError) !== "ENOENT") throw unlinkError;
      }
      continue;
    }
    try {
      writeSync(fd, `${JSON.stringify({ pid: process.pid, started_at: new Date().toISOString(), holder: "manager" })}\n`);
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
          if (ownerPid(path) !== process.pid || !existsSync(path)) return;
          try {
            unlinkSync(path);
          } catch {
            // already gone
          }
        },
      },
    };
  }
  throw new Error(`Cannot take the audit writer lock ${path}: another process keeps recreating it`);
}
