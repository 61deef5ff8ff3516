// manager.pid: only for `manager stop` (liveness is the lifetime lock and the socket). Written
// atomically so a reader never sees a partial number.
import { readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { ManagerError, ManagerErrorCode, describeError } from "../../../lib/manager-client/index.ts";

export function writePidFile(path: string, pid: number = process.pid): void {
  const temp = `${path}.${pid}.tmp`;
  try {
    writeFileSync(temp, `${pid}\n`, { mode: 0o600 });
    renameSync(temp, path);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // nothing to clean up
    }
    throw new ManagerError(ManagerErrorCode.LockFailed, `Cannot write the PID file ${path}: ${describeError(error)}`, {
      hint: "Check that the runtime directory belongs to you and is writable.",
      cause: error,
    });
  }
}

/** The PID recorded in the file, or undefined when it is missing or not a number. */
export function readPidFile(path: string): number | undefined {
  try {
    const pid = Number(readFileSync(path, "utf8").trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Deletes the file only if it names `pid` (a successor's file stays). */
export function removePidFileIfOwned(path: string, pid: number = process.pid): void {
  if (readPidFile(path) !== pid) return;
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

/** Deletes a PID file whatever it says (stale cleanup). */
export function removePidFile(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}
