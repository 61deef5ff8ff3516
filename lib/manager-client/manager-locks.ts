// The two locks of the manager (spec manager.md §12 "Locking"):
//
// - manager.lock, the LIFETIME lock: taken before anything else and held until exit. It names
//   the holder's PID. A holder counts as alive when its PID exists and either it is still within
//   the start-up grace or manager.sock answers Health with that same PID. So a crashed manager's
//   lock is stale at once (dead PID), and a recycled PID does not keep a dead manager's lock alive
//   (the socket would have to answer as that PID, which only the real manager can do).
// - manager.spawn.lock, the AUTO-START lock: held by a proxy for the few seconds it spends
//   checking, spawning and waiting, so racing proxies start exactly one manager. It goes stale
//   when its PID dies or after SPAWN_LOCK_STALE_MS, longer than any auto-start takes.
//
// The socket check is what proves liveness; the lock files make starting and cleaning up
// race-free.
import { join } from "node:path";
import { managerLockPath, managerSocketPath, type AppPaths } from "../paths/index.ts";
import { ManagerError, ManagerErrorCode } from "./errors.ts";
import { probeManager } from "./health-probe.ts";
import { LockFile, type LockOwner } from "./lock-file.ts";
import { isPidAlive } from "./pid-alive.ts";

/** A manager takes at most this long from taking its lock to answering Health. */
export const STARTUP_GRACE_MS = 10_000;
/** Auto-start holds its lock for at most ~6 s (spawn + 5 s wait). */
export const SPAWN_LOCK_STALE_MS = 15_000;

export function spawnLockPath(paths: AppPaths): string {
  return join(paths.runtimeDir, "manager.spawn.lock");
}

export async function isManagerHolderAlive(paths: AppPaths, owner: LockOwner, now: number = Date.now()): Promise<boolean> {
  if (!isPidAlive(owner.pid)) return false;
  if (now - owner.createdAt < STARTUP_GRACE_MS) return true;
  const health = await probeManager(managerSocketPath(paths));
  return health !== null && health.pid === owner.pid;
}

/**
 * Takes manager.lock for this process's lifetime. Throws ManagerError(AlreadyRunning) naming the
 * holder's PID when a live manager has it.
 */
export async function acquireLifetimeLock(
  paths: AppPaths,
  onStaleRemoved?: (owner: LockOwner | null) => void,
): Promise<LockFile> {
  const path = managerLockPath(paths);
  const lock = await LockFile.acquire(path, {
    isHolderAlive: (owner) => isManagerHolderAlive(paths, owner),
    ...(onStaleRemoved !== undefined ? { onStaleRemoved } : {}),
  });
  if (lock !== null) return lock;
  const holder = LockFile.readOwner(path);
  throw new ManagerError(
    ManagerErrorCode.AlreadyRunning,
    `The manager is already running${holder ? ` (pid ${holder.pid})` : ""}; it holds ${path}.`,
    { hint: "Use 'mcp-acp manager status' to see it, or 'mcp-acp manager stop' to stop it." },
  );
}

/** Waits up to waitMs for the auto-start lock; null when another starter kept it that long. */
export function acquireSpawnLock(paths: AppPaths, waitMs: number): Promise<LockFile | null> {
  return LockFile.acquire(spawnLockPath(paths), {
    isHolderAlive: (owner) => isPidAlive(owner.pid) && Date.now() - owner.createdAt < SPAWN_LOCK_STALE_MS,
    waitMs,
    pollMs: 50,
  });
}
