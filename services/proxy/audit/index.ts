// Public API of the proxy's audit writer: startup gate, chained records on the request path,
// health monitor and fail-closed shutdown (spec audit.md §4–§9).
export { ProxyAudit, type ProxyAuditOptions, type StartupVersions } from "./proxy-audit.ts";
export { ProxyAuditError, ProxyAuditErrorCode } from "./errors.ts";
export { AuditWriter, DURABILITY, type AuditFailureReport, type Durability } from "./audit-writer.ts";
export { ChainedLogFile, LOG_FILE_MODE, type VerifiedEnd, type WrittenHead } from "./chained-file.ts";
export { AuditFallback, type FallbackTarget } from "./fallback.ts";
export { SecurityShutdown, SHUTDOWN_BACKSTOP_MS, type CriticalShutdownEvent, type CriticalShutdownListener, type ShutdownState } from "./security-shutdown.ts";
export { AuditHealthMonitor, DEFAULT_MONITOR_INTERVAL_MS, type MonitorFinding } from "./health-monitor.ts";
export { verifyAtStartup, type StartupVerification, type QuarantinedTail } from "./startup-gate.ts";
export { VersionHistory, readLastHistoryRecord, type HistoryKind, type LoadOutcome } from "./history.ts";
export { OPERATION_AUDIT_FAILURE_MESSAGE, SHUTTING_DOWN_MESSAGE } from "./audited-hooks.ts";
export { WireLogger, errorCategoryOf } from "./wire-log.ts";
export { acquireWriterLock, WRITER_LOCK_FILE, type WriterLock } from "./writer-lock.ts";
export { createAuditedLogger } from "./system-logger.ts";
