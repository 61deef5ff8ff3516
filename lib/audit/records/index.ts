export { UNKNOWN, asPayload, escapeLineBreaks, isSafeLogId, logId, round2, withoutNulls, type Chained, type ChainFields, type LogLevel, type SystemLevel } from "./common.ts";
export { argumentsSummary, hashPayload, responseSummary, type ArgumentsSummary, type PayloadDigest, type ResponseSummary } from "./payload.ts";
export {
  CONTENT_KEYS,
  REDACTED,
  SNAPSHOT_SECRET_KEYS,
  isSecretKey,
  redactSecrets,
  redactToolArguments,
  sizeMarker,
  stripSnapshotSecrets,
} from "./redaction.ts";
export { EMPTY_PSEUDONYM, pseudonymizeId } from "./pseudonym.ts";
export {
  backendTransportMessage,
  buildOperationRecord,
  type OperationInput,
  type OperationRecord,
  type OperationStatus,
  type SubjectInfo,
  type TransportKind,
} from "./operations.ts";
export { buildDecisionRecord, type Decision, type DecisionInput, type DecisionRecord, type FinalRule, type HitlOutcome, type MatchedRule } from "./decisions.ts";
export { buildAuthRecord, type AuthEventType, type AuthInput, type AuthRecord, type DeviceCheckResult, type OidcInfo, type SessionEndReason } from "./auth.ts";
export { buildSystemRecord, type SystemFields, type SystemRecord } from "./system.ts";
export {
  FIRST_VERSION,
  UNKNOWN_CHECKSUM,
  buildConfigHistoryRecord,
  buildPolicyHistoryRecord,
  compareVersions,
  fileChecksum,
  historySnapshot,
  nextVersion,
  type ConfigChangeType,
  type ConfigHistoryEvent,
  type ConfigHistoryRecord,
  type PolicyChangeType,
  type PolicyHistoryEvent,
  type PolicyHistoryRecord,
} from "./history.ts";
export {
  WIRE_RESOURCES_LISTED,
  WIRE_TRUNCATE_CHARS,
  operationTypeOf,
  truncateForWire,
  wirePayload,
  type BackendWireRecord,
  type ClientWireRecord,
  type ErrorCategory,
  type OperationType,
  type WireDirection,
} from "./wire.ts";
export {
  FAILURE_EXIT_CODES,
  buildBootstrapErrorRecord,
  buildEmergencyAuditRecord,
  buildShutdownRecord,
  formatCrashBreadcrumb,
  parseCrashBreadcrumb,
  type BootstrapErrorRecord,
  type BootstrapEvent,
  type BootstrapRecord,
  type CrashBreadcrumb,
  type EmergencyAuditRecord,
  type EmergencyEventType,
  type EmergencyInput,
  type FailureType,
  type ShutdownRecord,
} from "./incidents.ts";
