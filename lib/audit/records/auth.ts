// audit/auth.jsonl: session, token and device events (spec audit.md §4.3). Ids that identify a
// person or session are pseudonymised; successful validations are not logged at all.

import { AuditError, AuditErrorCode } from "../errors.ts";
import { withoutNulls } from "./common.ts";
import type { SubjectInfo } from "./operations.ts";
import { pseudonymizeId } from "./pseudonym.ts";

export type AuthEventType = "token_invalid" | "token_refreshed" | "token_refresh_failed" | "session_started" | "session_ended" | "device_health_failed";
export type SessionEndReason = "normal" | "timeout" | "error" | "auth_expired" | "session_binding_violation";
export type DeviceCheckResult = "pass" | "fail" | "unknown";

export interface OidcInfo {
  issuer: string;
  provider?: string;
  client_id?: string;
  audience?: string[];
  scopes?: string[];
  token_type?: string;
  /** ISO strings. */
  token_exp?: string;
  token_iat?: string;
  token_expired?: boolean;
}

export interface AuthRecord {
  event_type: AuthEventType;
  status: "Success" | "Failure";
  bound_session_id?: string;
  mcp_session_id?: string;
  request_id?: string;
  method?: string;
  message?: string;
  subject?: SubjectInfo;
  oidc?: OidcInfo;
  device_checks?: { disk_encryption: DeviceCheckResult; device_integrity: DeviceCheckResult };
  end_reason?: SessionEndReason;
  error_type?: string;
  error_message?: string;
  details?: Record<string, unknown>;
}

export interface AuthInput extends Omit<AuthRecord, "status"> {
  /** Required except for session_ended, whose status follows end_reason. */
  status?: "Success" | "Failure";
}

const FAILED_ENDINGS = new Set<SessionEndReason>(["error", "auth_expired", "session_binding_violation"]);

/** Builds the record; `pseudonymKey` makes the pseudonyms HMACs (spec §16.1). */
export function buildAuthRecord(input: AuthInput, pseudonymKey?: Uint8Array): AuthRecord {
  let status = input.status;
  if (input.event_type === "session_ended") status = input.end_reason !== undefined && FAILED_ENDINGS.has(input.end_reason) ? "Failure" : "Success";
  if (status === undefined) throw new AuditError(AuditErrorCode.InvalidRecord, `An auth record of type ${input.event_type} needs a status (Success or Failure)`);
  const subject = input.subject === undefined ? undefined : { ...input.subject, subject_id: pseudonymizeId(input.subject.subject_id, pseudonymKey) };
  return withoutNulls<AuthRecord>({
    ...input,
    status,
    bound_session_id: input.bound_session_id === undefined ? undefined : pseudonymizeId(input.bound_session_id, pseudonymKey),
    subject,
  });
}
