// One audit writer per proxy: a lock file in the proxy's log dir, created exclusively and holding
// the owner's pid. The control socket also guards against a second instance, but it opens only
// after the MCP handshake; this lock is taken before the logs are verified, so a second start can
// never read (or quarantine) a line the running writer is still appending. A lock whose process
// is gone (SIGKILL, power loss) is stale and taken over.
import { closeSync, constants, fsyncSync, openSync, unlinkSync, writeSync } from "node:fs";
import { WRITER_LOCK_FILE, isProcessAlive, writerLockContent, writerLockOwnerPid, writerLockPath } from "../../../lib/audit/index.ts";
import { errnoOf, errorText, ProxyAuditError, ProxyAuditErrorCode } from "./errors.ts";

export { WRITER_LOCK_FILE };

// Locks this process holds: its own pid in a lock file means "held here" only if it is listed
// (after a container restart a stale lock can carry the pid the new process happens to get).
const heldHere = new Set<string>();

export interface WriterLock {
  readonly path: string;
  release(): void;
}

/** Takes the lock of the log dir `logDir`; throws ProxyAuditError(WriterLocked) while another live process holds it. */
export function acquireWriterLock(logDir: string, proxyName: string): WriterLock {
  const path = writerLockPath(logDir);
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
      const pid = writerLockOwnerPid(path);
      const live = pid !== null && (pid === process.pid ? heldHere.has(path) : isProcessAlive(pid));
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
      writeSync(fd, writerLockContent());
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
        if (writerLockOwnerPid(path) !== process.pid) return;
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
