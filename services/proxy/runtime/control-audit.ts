// VerifyAudit inside the proxy that writes the logs: lib/audit's verifier (read-only) runs
// synchronously on the proxy's event loop, where every audit write also happens, so no record can
// be appended while the files are read. A group-committed record whose sync is still on the
// thread pool leaves its state row behind the file, which the verifier accepts (state may lag).
import { randomBytes } from "node:crypto";
import { AUDIT_KEY_BYTES, AuditError, auditKeyPath, readAuditKey, verifyLogDir } from "../../../lib/audit/index.ts";
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
  };
}
