// lib/audit's verification and repair results → the AuditVerifyReport / AuditRepairReport messages.
import type { MessageInitShape } from "@bufbuild/protobuf";
import {
  FileIntegrityStatus,
  IntegrityProblemCode as P,
  StateStoreStatus,
  type IntegrityProblem,
  type LogDirReport,
  type ProtectedLogName,
} from "../../../../lib/audit/index.ts";
import type { LogBackup } from "../../../../lib/audit/query/index.ts";
import { RepairActionKind, type FileRepairOutcome, type FileRepairPlan } from "../../../../lib/audit/repair/index.ts";
import {
  AuditFileStatus,
  AuditIssueCode,
  AuditOverallStatus,
  AuditRepairAction,
  type AuditFileRepairSchema,
  type AuditIssueSchema,
  type AuditVerifyReportSchema,
  IntegrityStateStatus,
} from "../../../../lib/gen/mcpacp/common/v1/audit_pb.ts";
import type { LogType } from "../../../../lib/gen/mcpacp/common/v1/log_pb.ts";
import { timestampOf } from "../common/time.ts";
import { backupMessage, logTypeName, logTypeValue } from "../logs/log-proto.ts";

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

// The proto has fewer, coarser codes: chain-order problems are all sequence problems, and the
// ways a file can disagree with its state are all state mismatches.
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
  // Could not be opened at all: nothing is known about it.
  [StateStoreStatus.Unreadable]: IntegrityStateStatus.UNSPECIFIED,
};

export function issueMessage(problem: IntegrityProblem): MessageInitShape<typeof AuditIssueSchema> {
  return { code: ISSUE_CODE[problem.code], line: BigInt(problem.line), sequence: BigInt(problem.sequence ?? 0), reason: problem.reason };
}

export interface ProxyIdentity {
  name: string;
  id: string;
}

/** The six chained log types as lib names; empty = all (undefined). UNSPECIFIED or wire logs are refused by the caller. */
export function chainedNames(types: readonly LogType[]): { names: ProtectedLogName[] | undefined; invalid: number[] } {
  if (types.length === 0) return { names: undefined, invalid: [] };
  const names: ProtectedLogName[] = [];
  const invalid: number[] = [];
  types.forEach((type, i) => {
    const name = logTypeName(type);
    if (name === undefined || name === "client_wire" || name === "backend_wire") invalid.push(i);
    else if (!names.includes(name)) names.push(name);
  });
  return { names, invalid };
}

export function verifyReportMessage(
  proxy: ProxyIdentity,
  report: LogDirReport,
  backups: ReadonlyMap<string, LogBackup[]>,
  verifiedAt: Date,
): MessageInitShape<typeof AuditVerifyReportSchema> {
  const { totals } = report;
  const failed = totals.broken > 0 || report.stateStatus === StateStoreStatus.Corrupted;
  const overall = failed ? AuditOverallStatus.FAILED : totals.protected + totals.unprotected > 0 ? AuditOverallStatus.PASSED : AuditOverallStatus.NO_FILES;
  return {
    proxyName: proxy.name,
    proxyId: proxy.id,
    stateStatus: STATE_STATUS[report.stateStatus],
    files: report.files.map((file) => ({
      logType: logTypeValue(file.name),
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
    verifiedAt: timestampOf(verifiedAt),
    verifiedByProxy: false,
  };
}

const REPAIR_ACTION: Readonly<Record<RepairActionKind, AuditRepairAction>> = {
  [RepairActionKind.None]: AuditRepairAction.NO_ACTION,
  [RepairActionKind.SyncState]: AuditRepairAction.REPAIRED,
  [RepairActionKind.Quarantine]: AuditRepairAction.REPAIRED,
  [RepairActionKind.DropState]: AuditRepairAction.STATE_CLEARED,
  [RepairActionKind.Reset]: AuditRepairAction.BACKED_UP,
  [RepairActionKind.Error]: AuditRepairAction.ERROR,
};

/** One file of a repair: the plan alone (dry run) or what was done. */
export function fileRepairMessage(plan: FileRepairPlan, outcome?: FileRepairOutcome): MessageInitShape<typeof AuditFileRepairSchema> {
  const failed = outcome !== undefined && !outcome.ok;
  return {
    logType: logTypeValue(plan.file.name),
    fileKey: plan.file.fileKey,
    description: plan.file.description,
    action: failed ? AuditRepairAction.ERROR : REPAIR_ACTION[plan.action],
    message: outcome?.message ?? plan.intent,
    backupPath: outcome?.backupPath ?? "",
    issues: plan.problems.map(issueMessage),
  };
}

