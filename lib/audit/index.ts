// lib/audit: record schemas, canonical JSON, hash chain, integrity state and the one verifier
// shared by the proxy (writer, startup gate, monitor, RPCs) and the offline CLI.

export { AuditError, AuditErrorCode, type AuditErrorOptions } from "./errors.ts";
export { canonicalJson, canonicalString, compareCodePoints, type JsonObject, type JsonPrimitive, type JsonValue } from "./canonical-json.ts";
export { FieldKind, LineCanonicalizer, LineSyntaxError, MAX_NESTING, canonicalizeLine } from "./canonical-line.ts";
export { isSha256Hex, sha256Hex } from "./hash.ts";
export { formatAuditTime, parseAuditTime } from "./time.ts";
export {
  EMPTY_CHAIN_HEAD,
  FIRST_SEQUENCE,
  GENESIS,
  RESERVED_KEYS,
  assertChainHead,
  assertNoReservedKeys,
  computeEntryHash,
  entryHashOfCanonical,
  normalizePayload,
  sealRecord,
  type ChainHead,
  type SealOptions,
  type SealedRecord,
} from "./chain.ts";
export {
  CRASH_BREADCRUMB_FILE,
  INTEGRITY_STATE_DB_FILE,
  LEGACY_INTEGRITY_STATE_FILE,
  LEGACY_INTEGRITY_STATE_MIGRATED_FILE,
  PROTECTED_LOG_FILES,
  PROTECTED_LOG_NAMES,
  SHUTDOWNS_FILE,
  WIRE_LOG_FILE_KEYS,
  integrityStatePath,
  logFilePath,
  protectedLogFile,
  type ProtectedLogFile,
  type ProtectedLogName,
} from "./files.ts";
export {
  IntegrityProblemCode,
  IntegrityWarningCode,
  VerifyStatus,
  type ExpectedFileState,
  type FileIdentity,
  type IntegrityProblem,
  type IntegrityWarning,
  type TornTail,
  type VerifiedHead,
  type VerifyFileOptions,
  type VerifyFileResult,
  type WitnessHead,
} from "./verify-types.ts";
export { verifyFile, verifyFileAsync } from "./verify.ts";
export {
  STATE_FILE_MODE,
  STATE_SCHEMA_VERSION,
  IntegrityStateStore,
  stateInputFromVerification,
  type IntegrityStateInput,
  type IntegrityStateRow,
  type OpenStateStoreOptions,
} from "./state-store.ts";
export { STATE_MAC_ALGORITHM, computeStateMac, stateMacMatches } from "./state-mac.ts";
export { AUDIT_KEY_BYTES, AUDIT_KEY_FILE, auditKeyPath, createAuditKey, readAuditKey } from "./state-key.ts";
export { importLegacyIntegrityState, readLegacyIntegrityState } from "./legacy-state.ts";
export { QUARANTINE_FILE_MODE, quarantineTornTail, type QuarantineResult } from "./quarantine.ts";
export {
  AuditVerdict,
  FileIntegrityStatus,
  StateStoreStatus,
  VERIFY_EXIT_CODES,
  fileStatusOf,
  verifyLogDir,
  verifyLogDirAsync,
  type FileReport,
  type LogDirReport,
  type VerifyLogDirOptions,
} from "./verify-all.ts";
export * from "./records/index.ts";
export {
  WRITER_LOCK_FILE,
  isProcessAlive,
  isWriterLockHeld,
  tryTakeWriterLock,
  writerLockContent,
  writerLockHolder,
  writerLockOwnerPid,
  writerLockPath,
  type HeldWriterLock,
  type WriterLockAttempt,
} from "./writer-lock.ts";
