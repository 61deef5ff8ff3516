// lib/audit's verification and repair results → the AuditVerifyReport / AuditRepairReport messages.
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { LogDirReport, ProtectedLogName } from "../../../../lib/audit/index.ts";
import type { LogBackup } from "../../../../lib/audit/query/index.ts";
import { RepairActionKind, type FileRepairOutcome, type FileRepairPlan } from "../../../../lib/audit/repair/index.ts";
import {
  AuditRepairAction,
  type AuditFileRepairSchema,
  type AuditVerifyReportSchema,
} from "../../../../lib/gen/mcpacp/common/v1/audit_pb.ts";
import type { LogType } from "../../../../lib/gen/mcpacp/common/v1/log_pb.ts";
import { issueMessage, verifyReportMessage as sharedVerifyReportMessage } from "../../../../lib/audit/report-proto.ts";
import { logTypeName, logTypeValue } from "../logs/log-proto.ts";


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

/** The shared report mapping (lib/audit/report-proto.ts), for a check the manager ran itself. */
export function verifyReportMessage(
  proxy: ProxyIdentity,
  report: LogDirReport,
  backups: ReadonlyMap<string, LogBackup[]>,
  verifiedAt: Date,
): MessageInitShape<typeof AuditVerifyReportSchema> {
  return sharedVerifyReportMessage({ name: proxy.name, proxyId: proxy.id, byProxy: false }, report, backups, verifiedAt);
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

