// A verification report (verifyLogDir) → mcpacp.common.v1.AuditVerifyReport. One mapping for the
// proxy's VerifyAudit RPC and the manager's AuditService, so both describe a log the same way.
import type { MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import {
  AuditFileStatus,
  AuditIssueCode,
  type AuditIssueSchema,
  AuditOverallStatus,
  type AuditVerifyReportSchema,
  IntegrityStateStatus,
} from "../gen/mcpacp/common/v1/audit_pb.ts";
import { LogType } from "../gen/mcpacp/common/v1/log_pb.ts";
import type { ProtectedLogName } from "./files.ts";
import type { LogBackup } from "./query/index.ts";
import { FileIntegrityStatus, type LogDirReport, StateStoreStatus } from "./verify-all.ts";
import { type IntegrityProblem, IntegrityProblemCode as P } from "./verify-types.ts";

export const CHAINED_LOG_TYPES: Readonly<Record<ProtectedLogName, LogType>> = {
  decisions: LogType.DECISIONS,
  operations: LogType.OPERATIONS,
  auth: LogType.AUTH,
  system: LogType.SYSTEM,
  config_history: LogType.CONFIG_HISTORY,
  policy_history: LogType.POLICY_HISTORY,
};

const FILE_STATUS: Readonly<Record<FileIntegrityStatus, AuditFileStatus>> = {
  [FileIntegrityStatus.Protected]: AuditFileStatus.PROTECTED,
  [FileIntegrityStatus.Unprotected]: AuditFileStatus.UNPROTECTED,
  [FileIntegrityStatus.Empty]: AuditFileStatus.EMPTY,
  [FileIntegrityStatus.NotCreated]: AuditFileStatus.NOT_CREATED,
  [FileIntegrityStatus.Missing]: AuditFileStatus.MISSING,
  [FileIntegrityStatus.Emptied]: AuditFileStatus.EMPTIED,
  [FileIntegrityStatus.Broken]: AuditFileStatus.BROKEN,
  [FileIntegrityStatus.StateMismatch]: AuditFileStatus.STATE_MISMATCH,
  [FileIntegrityStatus.Error]: AuditFileStatus.ERROR,
};

// The contract's codes are coarser: every ordering problem is a sequence problem, and every way a
// file can disagree with its state is a state mismatch.
const ISSUE_CODE: Readonly<Record<P, AuditIssueCode>> = {
  [P.InvalidJson]: AuditIssueCode.INVALID_JSON,
  [P.TornLine]: AuditIssueCode.TORN_LINE,
  [P.MissingChainField]: AuditIssueCode.MISSING_CHAIN_FIELD,
  [P.UnchainedLine]: AuditIssueCode.MISSING_CHAIN_FIELD,
  [P.ChainStart]: AuditIssueCode.SEQUENCE_GAP,
  [P.PrevHashMismatch]: AuditIssueCode.PREV_HASH_MISMATCH,
  [P.SequenceGap]: AuditIssueCode.SEQUENCE_GAP,
  [P.InsertedLine]: AuditIssueCode.SEQUENCE_GAP,
  [P.SwappedLines]: AuditIssueCode.SEQUENCE_GAP,
  [P.EntryHashMismatch]: AuditIssueCode.ENTRY_HASH_MISMATCH,
  [P.WitnessMissing]: AuditIssueCode.STATE_MISMATCH,
  [P.FileMissing]: AuditIssueCode.FILE_MISSING,
  [P.FileEmptied]: AuditIssueCode.FILE_EMPTIED,
  [P.FileReplaced]: AuditIssueCode.FILE_REPLACED,
  [P.StateAhead]: AuditIssueCode.STATE_MISMATCH,
  [P.StateMismatch]: AuditIssueCode.STATE_MISMATCH,
  [P.StateMissing]: AuditIssueCode.STATE_MISSING,
  [P.StateCorrupt]: AuditIssueCode.STATE_CORRUPT,
  [P.ReadError]: AuditIssueCode.READ_ERROR,
};

const STATE_STATUS: Readonly<Record<StateStoreStatus, IntegrityStateStatus>> = {
  [StateStoreStatus.Present]: IntegrityStateStatus.PRESENT,
  [StateStoreStatus.NotFound]: IntegrityStateStatus.NOT_FOUND,
  [StateStoreStatus.Corrupted]: IntegrityStateStatus.CORRUPTED,
  // It could not be opened at all: nothing is known about it.
  [StateStoreStatus.Unreadable]: IntegrityStateStatus.UNSPECIFIED,
};

export function issueMessage(problem: IntegrityProblem): MessageInitShape<typeof AuditIssueSchema> {
  return { code: ISSUE_CODE[problem.code], line: BigInt(problem.line), sequence: BigInt(problem.sequence ?? 0), reason: problem.reason };
}

function backupMessage(backup: LogBackup) {
  const created = backup.createdAt === null ? null : new Date(backup.createdAt);
  return {
    filename: backup.filename,
    path: backup.path,
    sizeBytes: BigInt(backup.sizeBytes),
    createdAt: created === null || Number.isNaN(created.getTime()) ? undefined : timestampFromDate(created),
  };
}

export interface VerifiedProxy {
  name: string;
  proxyId: string;
  /** Whether the process that writes the files verified them itself. */
  byProxy: boolean;
}

export function verifyReportMessage(
  proxy: VerifiedProxy,
  report: LogDirReport,
  backups: ReadonlyMap<string, LogBackup[]>,
  verifiedAt: Date,
): MessageInitShape<typeof AuditVerifyReportSchema> {
  const { totals } = report;
  const failed = totals.broken > 0 || report.stateStatus === StateStoreStatus.Corrupted;
  const overall = failed ? AuditOverallStatus.FAILED : totals.protected + totals.unprotected > 0 ? AuditOverallStatus.PASSED : AuditOverallStatus.NO_FILES;
  return {
    proxyName: proxy.name,
    proxyId: proxy.proxyId,
    stateStatus: STATE_STATUS[report.stateStatus],
    files: report.files.map((file) => ({
      logType: CHAINED_LOG_TYPES[file.name],
      fileKey: file.fileKey,
      path: file.path,
      description: file.description,
      status: FILE_STATUS[file.status],
      broken: file.broken,
      entryCount: BigInt(file.result.entries),
      lastSequence: BigInt(file.result.lastSequence),
      issues: file.result.problems.map(issueMessage),
      truncatedIssues: file.result.omittedProblems,
      backups: (backups.get(file.fileKey) ?? []).map(backupMessage),
    })),
    totalProtected: totals.protected,
    totalUnprotected: totals.unprotected,
    totalEmpty: totals.empty,
    totalBroken: totals.broken,
    overallStatus: overall,
    verifiedAt: timestampFromDate(verifiedAt),
    verifiedByProxy: proxy.byProxy,
  };
}
