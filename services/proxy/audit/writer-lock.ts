// One audit writer per proxy: a lock file in the proxy's log dir, created exclusively and holding
// the owner's pid. The control socket also guards against a second instance, but it opens only
// after the MCP handshake; this lock is taken before the logs are verified, so a second start can
// never read (or quarantine) a line the running writer is still appending. A lock whose process
// is gone (SIGKILL, power loss) is stale and taken over.
import { closeSync, constants, fsyncSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { join } from "node:path";
import { errnoOf, errorText, ProxyAuditError, ProxyAuditErrorCode } from "./errors.ts";

export const WRITER_LOCK_FILE = ".writer.lock";

// Locks this process holds: its own pid in a lock file means "held here" only if it is listed
// (after a container restart a stale lock can carry the pid the new process happens to get).
const heldHere = new Set<string>();

export interface WriterLock {
  readonly path: string;
  release(): void;
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
    return errnoOf(error) === "EPERM";
  }
}

/** Takes the lock of the log dir `logDir`; throws ProxyAuditError(WriterLocked) while another live process holds it. */
export function acquireWriterLock(logDir: string, proxyName: string): WriterLock {
  const path = join(logDir, WRITER_LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), 0o600);
    } catch (error) {
      if (errnoOf(error) !== "EEXIST") {
        throw new ProxyAuditError(ProxyAuditErrorCode.Unwritable, `Cannot create the audit writer lock ${path}: ${errorText(error)}`, {
          hint: "Check that the proxy's log directory is writable by you.",
          cause: error,
        });
      }
      const pid = ownerPid(path);
      const live = pid !== null && (pid === process.pid ? heldHere.has(path) : alive(pid));
      if (live) {
        throw new ProxyAuditError(ProxyAuditErrorCode.WriterLocked, `Another proxy '${proxyName}' is already running (process ${pid} holds the audit writer lock ${path}).`, {
          hint: "Stop that proxy first (or close the MCP client that started it); only one instance per proxy can run.",
        });
      }
      // Stale (its process is gone) or unreadable half-written: take it over.
      try {
        unlinkSync(path);
      } catch (unlinkError) {
        if (errnoOf(unlinkError) !== "ENOENT") throw new ProxyAuditError(ProxyAuditErrorCode.Unwritable, `Cannot remove the stale audit writer lock ${path}: ${errorText(unlinkError)}`, { cause: unlinkError });
      }
      continue;
    }
    try {
      writeSync(fd, `${JSON.stringify({ pid: process.pid, started_at: new Date().toISOString() })}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    let held = true;
    heldHere.add(path);
    return {
      path,
      release() {
        if (!held) return;
        held = false;
        heldHere.delete(path);
        if (ownerPid(path) !== process.pid) return;
        try {
          unlinkSync(path);
        } catch {
          // Already gone: nothing to release.
        }
      },
    };
  }
  throw new ProxyAuditError(ProxyAuditErrorCode.WriterLocked, `Cannot take the audit writer lock ${path}: another process keeps recreating it.`);
}
