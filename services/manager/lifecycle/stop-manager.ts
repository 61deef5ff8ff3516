// `manager stop` and `manager status`. Health is the authority on which process is the manager;
// the PID file is used only when the manager does not answer (it may hang), and then only if the
// lifetime lock names the same live PID, so a recycled PID is never signalled.
import type { HealthResponse } from "../../../lib/gen/mcpacp/link/v1/link_pb.ts";
import { managerLockPath, managerPidPath, managerSocketPath, type AppPaths } from "../../../lib/paths/index.ts";
import { LockFile, ManagerError, ManagerErrorCode, isPidAlive, probeManager } from "../../../lib/manager-client/index.ts";
import { readPidFile, removePidFile } from "./pid-file.ts";

export interface ManagerStatus {
  running: boolean;
  /** Manager PID (from Health, else from the PID file of a manager that holds its lock but does not answer). */
  pid: number | undefined;
  socketPath: string;
  /** Present when the manager answered. */
  health: HealthResponse | undefined;
}

export async function readManagerStatus(paths: AppPaths): Promise<ManagerStatus> {
  const socketPath = managerSocketPath(paths);
  const health = await probeManager(socketPath);
  if (health !== null) return { running: true, pid: health.pid, socketPath, health };
  const pid = unresponsiveManagerPid(paths);
  return { running: pid !== undefined, pid, socketPath, health: undefined };
}

/** The PID of a manager that holds its lock but does not answer Health (hung), if any. */
function unresponsiveManagerPid(paths: AppPaths): number | undefined {
  const pid = readPidFile(managerPidPath(paths));
  if (pid === undefined || !isPidAlive(pid)) return undefined;
  const owner = LockFile.readOwner(managerLockPath(paths));
  return owner?.pid === pid ? pid : undefined;
}

/**
 * Sends SIGTERM to the running manager and waits (default 5 s) until it is gone. Throws
 * ManagerError NotRunning (a stale PID file is removed on the way) or StopTimeout.
 */
export async function stopManager(paths: AppPaths, options: { timeoutMs?: number } = {}): Promise<{ pid: number }> {
  const status = await readManagerStatus(paths);
  const pidPath = managerPidPath(paths);
  if (!status.running || status.pid === undefined) {
    if (readPidFile(pidPath) !== undefined) removePidFile(pidPath);
    throw new ManagerError(ManagerErrorCode.NotRunning, "The manager is not running.");
  }
  const pid = status.pid;
  try {
    process.kill(pid, "SIGTERM");
  } catch (error) {
    throw new ManagerError(ManagerErrorCode.NotRunning, `The manager (pid ${pid}) could not be signalled; it may have just exited.`, { cause: error });
  }
  const timeoutMs = options.timeoutMs ?? 5000;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    // Gone = no answer and its shutdown finished (PID file removed) or the process died.
    const answering = (await probeManager(status.socketPath, 200)) !== null;
    if (!answering && (!isPidAlive(pid) || readPidFile(pidPath) !== pid)) return { pid };
    await Bun.sleep(100);
  }
  throw new ManagerError(ManagerErrorCode.StopTimeout, `The manager (pid ${pid}) did not stop within ${timeoutMs} ms of SIGTERM.`, {
    hint: `Check its log; if it hangs, end it with 'kill -9 ${pid}'.`,
  });
}
