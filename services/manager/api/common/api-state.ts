// State the API keeps across calls within one manager run.
import type { AuditOverallStatus } from "../../../../lib/gen/mcpacp/common/v1/audit_pb.ts";
import { KeyedMutex } from "./keyed-mutex.ts";

/** A VerifyAudit verdict and when it was given. */
export interface AuditVerdictSeen {
  status: AuditOverallStatus;
  at: Date;
}

export class ApiState {
  /** Serialises read-check-write sequences per file. */
  readonly locks = new KeyedMutex();
  /** Verdict of the last VerifyAudit per proxy name (shown in the proxy list); a repair clears it. */
  readonly auditStatus = new Map<string, AuditVerdictSeen>();
}
