// Incidents (spec audit.md §12): security shutdowns (each proxy's shutdowns.jsonl), failed starts
// (each proxy's bootstrap.jsonl in the config dir) and emergency audit records (the one global
// emergency_audit.jsonl in the config dir root).

import { invalidArgument } from "../query/errors.ts";

export type IncidentType = "shutdown" | "bootstrap" | "emergency";

export const INCIDENT_TYPES: readonly IncidentType[] = ["shutdown", "bootstrap", "emergency"];

export function parseIncidentType(text: string, field = "incident_type"): IncidentType {
  const normal = text.trim().toLowerCase();
  const found = INCIDENT_TYPES.find((t) => t === normal);
  if (found === undefined) throw invalidArgument(field, `Invalid incident type '${text}': expected one of ${INCIDENT_TYPES.join(", ")}.`);
  return found;
}

/** One file incidents are read from. */
export interface IncidentSource {
  type: IncidentType;
  path: string;
  /** The proxy the file belongs to; null for the global emergency file. */
  proxyName: string | null;
  proxyId: string | null;
}

export interface IncidentEntry {
  /** Stable: source type, proxy and byte offset of the line. */
  id: string;
  type: IncidentType;
  /** `time` as written, or null. */
  time: string | null;
  /** `time` as epoch milliseconds; null when absent or unparseable. */
  timeMs: number | null;
  proxyName: string | null;
  proxyId: string | null;
  /** e.g. `security_shutdown`, `config_not_found`, `emergency_audit`. */
  event: string | null;
  /** failure_type (shutdown), error_type (bootstrap) or event_type (emergency). */
  failureType: string | null;
  /** reason, error_message or failure_reason. */
  reason: string | null;
  exitCode: number | null;
  /** The record as written, tagged with incident_type, proxy_name and proxy_id (unless present). */
  record: Record<string, unknown>;
  /** Byte offset of the line in its source. */
  offset: number;
}
