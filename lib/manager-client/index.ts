// lib/manager-client: what a process needs to find, probe and auto-start the manager daemon
// (the proxy's link client and the CLI), and the lock files the manager itself takes. Imports
// only lib/, so services/proxy can use it without importing services/manager (design.md §2).
export { AUTO_START_DEFAULTS, ensureManagerRunning, type EnsureManagerOptions, type EnsureManagerResult } from "./ensure-running.ts";
export { ManagerError, ManagerErrorCode, describeError, type ManagerErrorOptions } from "./errors.ts";
export { PROBE_TIMEOUT_MS, probeManager } from "./health-probe.ts";
export { LockFile, type LockFileOptions, type LockOwner } from "./lock-file.ts";
export {
  SPAWN_LOCK_STALE_MS,
  STARTUP_GRACE_MS,
  acquireLifetimeLock,
  acquireSpawnLock,
  isManagerHolderAlive,
  spawnLockPath,
} from "./manager-locks.ts";
export { isPidAlive } from "./pid-alive.ts";
