// A repair plan and its outcome → mcpacp.common.v1.AuditRepairReport. One mapping for the proxy's
// RepairAudit RPC and the manager's AuditService.
import type { MessageInitShape } from "@bufbuild/protobuf";
import { AuditRepairAction, type AuditFileRepairSchema, type AuditRepairReportSchema } from "../gen/mcpacp/common/v1/audit_pb.ts";
import { CHAINED_LOG_TYPES, issueMessage } from "./report-proto.ts";
import { RepairActionKind, type FileRepairOutcome, type FileRepairPlan, type RepairOutcome, type RepairPlan } from "./repair/index.ts";

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
    logType: CHAINED_LOG_TYPES[plan.file.name],
    fileKey: plan.file.fileKey,
    description: plan.file.description,
    action: failed ? AuditRepairAction.ERROR : REPAIR_ACTION[plan.action],
    message: outcome?.message ?? plan.intent,
    backupPath: outcome?.backupPath ?? "",
    issues: plan.problems.map(issueMessage),
  };
}

function repairSummary(plan: RepairPlan, outcome: RepairOutcome | undefined, dryRun: boolean): { success: boolean; message: string } {
  const acting = plan.files.filter((f) => f.action !== RepairActionKind.None);
  const count = (kinds: RepairActionKind[]) => acting.filter((f) => kinds.includes(f.action)).length;
  const repaired = count([RepairActionKind.SyncState, RepairActionKind.Quarantine, RepairActionKind.DropState]);
  const reset = count([RepairActionKind.Reset]);
  const failed = outcome === undefined ? plan.files.filter((f) => f.action === RepairActionKind.Error) : outcome.files.filter((f) => !f.ok).map((f) => f.plan);
  const parts = [repaired > 0 ? `${dryRun ? "would repair" : "repaired"} ${repaired} file(s)` : "", reset > 0 ? `${dryRun ? "would reset" : "reset"} ${reset} broken file(s)` : ""].filter((s) => s !== "");
  if (plan.rebuildState) parts.unshift(dryRun ? "would rebuild the integrity state" : `rebuilt the integrity state (the corrupt one is at ${outcome?.stateSetAside ?? plan.statePath})`);
  let message = parts.length === 0 ? "No files needed repair." : `${parts.join(", ")}.`;
  message = message.charAt(0).toUpperCase() + message.slice(1);
  if (failed.length > 0) message += ` Could not repair: ${failed.map((f) => f.file.name).join(", ")}.`;
  return { success: failed.length === 0, message };
}

export interface RepairedProxy {
  name: string;
  proxyId: string;
  /** True when the running proxy answered from inside its writer. */
  byProxy: boolean;
}

export function repairReportMessage(proxy: RepairedProxy, plan: RepairPlan, outcome: RepairOutcome | undefined, dryRun: boolean): MessageInitShape<typeof AuditRepairReportSchema> {
  return {
    proxyName: proxy.name,
    proxyId: proxy.proxyId,
    files: plan.files.map((file, i) => fileRepairMessage(file, outcome?.files[i])),
    ...repairSummary(plan, outcome, dryRun),
    dryRun,
    repairedByProxy: proxy.byProxy,
  };
}

/**
 * RepairAudit of a running proxy whose trail is broken: it answers ABORTED with this value under
 * REPAIR_REASON_KEY in the trailers, then exits (10) so the files can be repaired offline.
 */
export const REPAIR_REASON_KEY = "mcp-acp-reason";
export const PROXY_STOPPING_FOR_REPAIR = "PROXY_STOPPING_FOR_REPAIR";
