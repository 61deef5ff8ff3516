// services/manager/lifecycle: running the manager (locks, PID file, idle shutdown, signals,
// orderly shutdown, system log), auto-starting it from a proxy, stopping it and asking its status.
export { AUTO_START_DEFAULTS, ensureManagerRunning, type EnsureManagerOptions, type EnsureManagerResult } from "./ensure-running.ts";
export { ManagerError, ManagerErrorCode, type ManagerErrorOptions } from "./errors.ts";
export { PROBE_TIMEOUT_MS, probeManager } from "./health-probe.ts";
export { IDLE_DEFAULTS, IdleMonitor, type IdleMonitorOptions } from "./idle-monitor.ts";
export { LockFile, type LockFileOptions, type LockOwner } from "./lock-file.ts";
export type { ManagerCore, ManagerExtension, ManagerExtensionHandle } from "./manager-core.ts";
export { SPAWN_LOCK_STALE_MS, STARTUP_GRACE_MS, acquireLifetimeLock, acquireSpawnLock, spawnLockPath } from "./manager-locks.ts";
export { isPidAlive } from "./pid-alive.ts";
export { readPidFile, writePidFile } from "./pid-file.ts";
export { runManager, type ManagerHandle, type ManagerStopReason, type RunManagerOptions } from "./run-manager.ts";
export { onStopSignals, type StopSignal } from "./stop-signals.ts";
export { readManagerStatus, stopManager, type ManagerStatus } from "./stop-manager.ts";
export {
  createManagerLog,
  createMemoryManagerLog,
  type LineWriter,
  type ManagerLog,
  type ManagerLogFields,
  type ManagerLogLevel,
  type ManagerLogOptions,
  type MemoryLogEntry,
} from "./system-log.ts";
