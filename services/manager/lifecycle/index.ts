// services/manager/lifecycle: running the manager (locks, PID file, idle shutdown, signals,
// orderly shutdown, system log), stopping it and asking its status. Auto-start, the Health probe,
// the lock files and ManagerError live in lib/manager-client (proxies use them too); ManagerError
// is re-exported here because runManager and stopManager throw it.
export { ManagerError, ManagerErrorCode, type ManagerErrorOptions } from "../../../lib/manager-client/index.ts";
export { IDLE_DEFAULTS, IdleMonitor, type IdleMonitorOptions } from "./idle-monitor.ts";
export type { ManagerCore, ManagerExtension, ManagerExtensionHandle } from "./manager-core.ts";
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
