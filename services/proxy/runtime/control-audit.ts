// VerifyAudit and RepairAudit inside the proxy that writes the logs: lib/audit's verifier
// (read-only) runs synchronously on the proxy's event loop, where every audit write also happens,
// so no record can be appended while the files are read. A group-committed record whose sync is
// still on the thread pool leaves its state row behind the file, which the verifier accepts.
// A running proxy never rewrites its own trail: when a repair would have to change something, the
// trail is broken under a live writer, so the proxy fails closed (exit 10) exactly as its health
// monitor would, and answers ABORTED with PROXY_STOPPING_FOR_REPAIR; the manager then repairs the
// files under the writer lock the exiting proxy releases.
import { randomBytes } from "node:crypto";
import { AUDIT_KEY_BYTES, AuditError, FileIntegrityStatus, auditKeyPath, readAuditKey, verifyLogDir } from "../../../lib/audit/index.ts";
import { PROXY_STOPPING_FOR_REPAIR, REPAIR_REASON_KEY, repairReportMessage } from "../../../lib/audit/repair-report-proto.ts";
import { type FileRepairPlan, planRepair, RepairActionKind, type RepairPlan } from "../../../lib/audit/repair/index.ts";
import { listLogBackups, type LogBackup } from "../../../lib/audit/query/index.ts";
import { ProxyControl } from "../../../lib/gen/mcpacp/control/v1/control_pb.ts";
import type { AppPaths } from "../../../lib/paths/index.ts";
import { type PartialGrpcServiceImpl, RpcCode, RpcError } from "../../../lib/rpc/index.ts";
import { chainedFilesOf, verifyReportMessage } from "./audit-report-proto.ts";

export interface AuditControlState {
  paths: AppPaths;
  name: string;
  proxyId: string;
  /** `<log_dir>/mcp-acp/proxies/<name>` */
  logDir: string;
  /** Whether this process runs the audit writer (false only in benchmark runs without audit). */
  auditWriterInProcess: boolean;
  /** Starts the fail-closed shutdown (null without an audit writer). */
  failClosed: ((reason: string) => void) | null;
}


/** What a running writer must not do itself: anything beyond catching a lagging state up. */
function needsRepairByHand(plan: RepairPlan): FileRepairPlan[] {
  return plan.files.filter((f) => {
    if (f.action === RepairActionKind.None) return false;
    // A state that lags its file is a group commit still in flight; the writer catches it up.
    return !(f.action === RepairActionKind.SyncState && f.status === FileIntegrityStatus.Protected);
  });
}

/** The key the state rows are checked with; a throwaway one when none exists (rows then count as unsigned). */
function checkingKey(state: AuditControlState): Uint8Array {
  const path = auditKeyPath(state.paths, state.name);
  try {
    return readAuditKey(path) ?? Uint8Array.from(randomBytes(AUDIT_KEY_BYTES));
  } catch (error) {
    if (!(error instanceof AuditError)) throw error;
    throw new RpcError(RpcCode.FAILED_PRECONDITION, `Cannot check the integrity state of proxy '${state.name}': ${error.message}`, { cause: error });
  }
}

export function auditHandlers(state: AuditControlState): PartialGrpcServiceImpl<typeof ProxyControl> {
  return {
    verifyAudit: async (request) => {
      const files = chainedFilesOf(request.logTypes);
      const macKey = checkingKey(state);
      const verifiedAt = new Date();
      const report = verifyLogDir(state.logDir, { macKey, ...(files === undefined ? {} : { files }) });
      const backups = new Map<string, LogBackup[]>();
      for (const file of report.files) backups.set(file.fileKey, await listLogBackups(file.path));
      return {
        report: verifyReportMessage({ name: state.name, proxyId: state.proxyId, byProxy: state.auditWriterInProcess }, report, backups, verifiedAt),
      };
    },
    repairAudit: (request) => {
      const files = chainedFilesOf(request.logTypes);
      const plan = planRepair(state.logDir, files, { macKey: checkingKey(state) });
      const broken = plan.rebuildState ? plan.files : needsRepairByHand(plan);
      const proxy = { name: state.name, proxyId: state.proxyId, byProxy: true };
      if (broken.length === 0) {
        // Nothing a repair would change (a lagging state row is not damage): report the plan as is.
        const quiet = { ...plan, files: plan.files.map((f) => (f.action === RepairActionKind.SyncState ? { ...f, action: RepairActionKind.None, intent: "intact; the writer records its head" } : f)) };
        return { report: repairReportMessage(proxy, quiet, undefined, request.dryRun) };
      }
      if (request.dryRun) return { report: repairReportMessage(proxy, plan, undefined, true) };
      const what = plan.rebuildState ? "the integrity state is corrupt" : broken.map((f) => `${f.file.fileKey}: ${f.intent}`).join("; ");
      if (state.failClosed === null) {
        throw new RpcError(RpcCode.FAILED_PRECONDITION, `Proxy '${state.name}' runs without an audit writer; nothing to repair in it (${what}).`);
      }
      state.failClosed(`audit repair requested and the trail is broken (${what})`);
      throw new RpcError(
        RpcCode.ABORTED,
        `Proxy '${state.name}' found its audit trail broken (${what}) and is stopping (exit 10) so the files can be repaired; repair them once it has stopped (the manager does this by itself).`,
        { metadata: { [REPAIR_REASON_KEY]: [PROXY_STOPPING_FOR_REPAIR] } },
      );
    },
  };
}
