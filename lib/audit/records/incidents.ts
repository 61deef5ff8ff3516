// Incident files (spec audit.md §4.8): shutdowns.jsonl, emergency_audit.jsonl, bootstrap.jsonl and
// the .last_crash breadcrumb. Not chained; written append + fsync, 0600, by their owners.

import { withoutNulls } from "./common.ts";
import type { ConfigHistoryRecord, PolicyHistoryRecord } from "./history.ts";

export type FailureType =
  | "audit_failure"
  | "policy_failure"
  | "identity_failure"
  | "authentication_failure"
  | "device_health_failure"
  | "session_binding_violation"
  | "configuration_failure";

/** Exit code per failure type (spec §9). */
export const FAILURE_EXIT_CODES: Readonly<Record<FailureType, number>> = Object.freeze({
  audit_failure: 10,
  policy_failure: 11,
  identity_failure: 12,
  authentication_failure: 13,
  device_health_failure: 14,
  session_binding_violation: 15,
  configuration_failure: 16,
});

export interface ShutdownRecord {
  time: string;
  event: "security_shutdown";
  failure_type: FailureType;
  reason: string;
  exit_code: number;
  context: Record<string, unknown>;
}

/** What the lost record was; `shutdown` is a shutdowns.jsonl record that could not be written there. */
export type EmergencyEventType = "operation" | "decision" | "auth" | "config" | "policy" | "shutdown";

export interface EmergencyAuditRecord {
  time: string;
  event: "emergency_audit";
  event_type: EmergencyEventType;
  failure_reason: string;
  source_file: string;
  /** The lost record, with proxy_id and proxy_name added. */
  operation: Record<string, unknown>;
  proxy_id?: string;
  proxy_name?: string;
}

export type BootstrapEvent =
  | "config_not_found"
  | "policy_not_found"
  | "mtls_cert_not_found"
  | "backend_timeout"
  | "ssl_error"
  | "backend_connection_failed"
  | "audit_failure"
  | "auth_not_configured"
  | "not_authenticated"
  | "auth_expired"
  | "auth_failed"
  | "device_health_failed"
  | "identity_verification_failed"
  | "startup_failed";

export interface BootstrapErrorRecord {
  time: string;
  event: BootstrapEvent;
  error_message: string;
  component: "cli";
  source: "cli_start";
  error_type?: string;
  exit_code?: number;
  context?: Record<string, unknown>;
}

/** bootstrap.jsonl holds startup errors and validation failures of the history logs. */
export type BootstrapRecord =
  | BootstrapErrorRecord
  | (ConfigHistoryRecord & { time: string; event: "config_validation_failed" })
  | (PolicyHistoryRecord & { time: string; event: "policy_validation_failed" });

export function buildShutdownRecord(time: string, failureType: FailureType, reason: string, context: Record<string, unknown> = {}): ShutdownRecord {
  return { time, event: "security_shutdown", failure_type: failureType, reason, exit_code: FAILURE_EXIT_CODES[failureType], context };
}

export interface EmergencyInput {
  time: string;
  eventType: EmergencyEventType;
  failureReason: string;
  sourceFile: string;
  record: Record<string, unknown>;
  proxyId?: string;
  proxyName?: string;
}

export function buildEmergencyAuditRecord(input: EmergencyInput): EmergencyAuditRecord {
  const attribution = withoutNulls({ proxy_id: input.proxyId, proxy_name: input.proxyName });
  return withoutNulls<EmergencyAuditRecord>({
    time: input.time,
    event: "emergency_audit",
    event_type: input.eventType,
    failure_reason: input.failureReason,
    source_file: input.sourceFile,
    operation: { ...input.record, ...attribution },
    proxy_id: input.proxyId,
    proxy_name: input.proxyName,
  });
}

export function buildBootstrapErrorRecord(
  time: string,
  event: BootstrapEvent,
  errorMessage: string,
  extra: { errorType?: string; exitCode?: number; context?: Record<string, unknown> } = {},
): BootstrapErrorRecord {
  return withoutNulls<BootstrapErrorRecord>({
    time,
    event,
    error_message: errorMessage,
    component: "cli",
    source: "cli_start",
    error_type: extra.errorType,
    exit_code: extra.exitCode,
    context: extra.context,
  });
}

export interface CrashBreadcrumb {
  time: string;
  failureType: string;
  exitCode: number;
  reason: string;
  context: Record<string, unknown>;
}

/** The five-line `.last_crash` text (spec §4.8); line breaks in the reason are escaped. */
export function formatCrashBreadcrumb(crumb: CrashBreadcrumb): string {
  const oneLine = (text: string): string => text.replace(/\r?\n|\r/g, "\\n");
  return [
    crumb.time,
    `failure_type: ${oneLine(crumb.failureType)}`,
    `exit_code: ${crumb.exitCode}`,
    `reason: ${oneLine(crumb.reason)}`,
    `context: ${JSON.stringify(crumb.context)}`,
    "",
  ].join("\n");
}

/** Parses a `.last_crash` text; null when it is not in the five-line form. */
export function parseCrashBreadcrumb(text: string): CrashBreadcrumb | null {
  const lines = text.split(/\r?\n/);
  const [time, type, code, reason, context] = lines;
  if (time === undefined || type === undefined || code === undefined || reason === undefined || context === undefined) return null;
  if (!type.startsWith("failure_type: ") || !code.startsWith("exit_code: ") || !reason.startsWith("reason: ") || !context.startsWith("context: ")) return null;
  const exitCode = Number(code.slice("exit_code: ".length));
  if (!Number.isInteger(exitCode)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(context.slice("context: ".length));
  } catch {
    return null;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return null;
  return {
    time: time.trim(),
    failureType: type.slice("failure_type: ".length),
    exitCode,
    reason: reason.slice("reason: ".length),
    context: parsed as Record<string, unknown>,
  };
}
