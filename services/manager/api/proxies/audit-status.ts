// The audit verdict of the proxy list, from cheap facts only (the list is polled; a full verify of
// every proxy per call would read every log): the last VerifyAudit verdict of this manager run,
// unless the proxy attached after it (a proxy verifies every chain before it starts and refuses to
// run on a mismatch, so a running proxy passed that check); otherwise whether any audit file exists.
import { existsSync } from "node:fs";
import { PROTECTED_LOG_FILES, logFilePath } from "../../../../lib/audit/index.ts";
import { AuditOverallStatus } from "../../../../lib/gen/mcpacp/common/v1/audit_pb.ts";
import type { AuditVerdictSeen } from "../common/api-state.ts";
import type { AttachedProxy } from "../deps.ts";

export function listedAuditStatus(known: AuditVerdictSeen | undefined, attached: AttachedProxy | undefined, logDir: string): AuditOverallStatus {
  if (attached !== undefined && (known === undefined || attached.connectedAt.getTime() > known.at.getTime())) return AuditOverallStatus.PASSED;
  if (known !== undefined) return known.status;
  const anyFile = PROTECTED_LOG_FILES.some((file) => existsSync(logFilePath(logDir, file.fileKey)));
  // Files exist but nobody verified them in this run: unknown, not passed.
  return anyFile ? AuditOverallStatus.UNSPECIFIED : AuditOverallStatus.NO_FILES;
}
