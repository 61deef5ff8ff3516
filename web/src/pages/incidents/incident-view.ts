// Incidents page logic: friendly titles, badges, persisted filters and what counts as unread. The
// "last seen" time itself lives in state/incidents-unread.ts (key mcpacp.incidents.lastSeen, ISO
// string) so the header badge and this page share one writer.
import { type Incident, IncidentType } from "../../../../lib/gen/mcpacp/common/v1/incident_pb.ts";

export const FILTERS_KEY = "mcpacp.incidents.filters";

/** The part of Web Storage used here, so tests can pass a plain map. */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export type TypeFilter = "all" | "shutdown" | "bootstrap" | "emergency";

export interface IncidentFilters {
  /** Proxy name; "" = all proxies. */
  proxy: string;
  type: TypeFilter;
}

export const TYPE_FILTERS: readonly { key: TypeFilter; label: string; value: IncidentType }[] = [
  { key: "all", label: "All types", value: IncidentType.UNSPECIFIED },
  { key: "shutdown", label: "Shutdowns", value: IncidentType.SHUTDOWN },
  { key: "bootstrap", label: "Startup", value: IncidentType.BOOTSTRAP },
  { key: "emergency", label: "Emergency Audit", value: IncidentType.EMERGENCY },
];

export function typeValue(key: TypeFilter): IncidentType {
  return TYPE_FILTERS.find((t) => t.key === key)?.value ?? IncidentType.UNSPECIFIED;
}

/** Stored filters, validated; a proxy that no longer exists falls back to All. */
export function readFilters(store: KeyValueStore, knownProxies: readonly string[] | undefined): IncidentFilters {
  let raw: unknown;
  try {
    raw = JSON.parse(store.getItem(FILTERS_KEY) ?? "null");
  } catch {
    raw = null;
  }
  const rec = typeof raw === "object" && raw !== null ? (raw as Record<string, unknown>) : {};
  const type = TYPE_FILTERS.some((t) => t.key === rec.type) ? (rec.type as TypeFilter) : "all";
  let proxy = typeof rec.proxy === "string" ? rec.proxy : "";
  if (knownProxies !== undefined && proxy !== "" && !knownProxies.includes(proxy)) proxy = "";
  return { proxy, type };
}

export function writeFilters(store: KeyValueStore, filters: IncidentFilters): void {
  store.setItem(FILTERS_KEY, JSON.stringify(filters));
}

export function incidentTime(incident: Incident): Date | undefined {
  const ts = incident.time;
  if (ts === undefined) return undefined;
  return new Date(Number(ts.seconds) * 1000 + Math.floor(ts.nanos / 1e6));
}

/** Whether an incident happened after the previous visit (all are new before a first visit). */
export function isUnread(incident: Incident, lastSeen: Date | undefined): boolean {
  if (lastSeen === undefined) return true;
  const t = incidentTime(incident);
  return t !== undefined && t.getTime() > lastSeen.getTime();
}

export interface BadgeView {
  text: string;
  tone: "danger" | "warning" | "accent" | "neutral";
}

export function badgeOf(type: IncidentType): BadgeView {
  switch (type) {
    case IncidentType.SHUTDOWN:
      return { text: "SHUTDOWN", tone: "danger" };
    case IncidentType.BOOTSTRAP:
      return { text: "STARTUP ERROR", tone: "warning" };
    case IncidentType.EMERGENCY:
      return { text: "AUDIT FAILURE", tone: "accent" };
    default:
      return { text: "INCIDENT", tone: "neutral" };
  }
}

const FRIENDLY: Readonly<Record<string, string>> = {
  // Security shutdown failure types.
  audit_failure: "Audit log failure",
  session_binding_violation: "Session binding violation",
  policy_failure: "Policy failure",
  identity_failure: "Identity failure",
  device_health_failure: "Device health check failed",
  authentication_failure: "Authentication failure",
  configuration_failure: "Configuration failure",
  critical_security_failure: "Critical security failure",
  // Startup (bootstrap) events.
  manager_config_not_found: "Manager config not found",
  manager_config_invalid: "Manager config invalid",
  proxy_not_found: "Proxy not found",
  config_not_found: "Config not found",
  config_validation_failed: "Config validation failed",
  policy_not_found: "Policy not found",
  policy_validation_failed: "Policy validation failed",
  auth_not_configured: "Authentication not configured",
  mtls_cert_not_found: "mTLS certificate not found",
  backend_timeout: "Backend timed out",
  ssl_error: "TLS error",
  backend_connection_failed: "Backend connection failed",
  already_running: "Already running",
  startup_failed: "Startup failed",
  // Emergency audit record kinds.
  operation: "Operation record lost",
  decision: "Decision record lost",
  auth: "Auth record lost",
  config: "Config history record lost",
  policy: "Policy history record lost",
};

export function titleCase(word: string): string {
  return word
    .split(/[_\s-]+/)
    .filter((w) => w !== "")
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(" ");
}

function friendly(word: string): string {
  return FRIENDLY[word] ?? titleCase(word);
}

/** The incident's title: shutdowns by failure type, startups by event, emergencies prefixed. */
export function incidentTitle(incident: Incident): string {
  switch (incident.type) {
    case IncidentType.SHUTDOWN:
      return friendly(incident.failureType || incident.event || "security_shutdown");
    case IncidentType.BOOTSTRAP:
      return friendly(incident.event || incident.failureType || "startup_failed");
    case IncidentType.EMERGENCY:
      return `Emergency: ${friendly(incident.failureType || "audit")}`;
    default:
      return friendly(incident.event || "incident");
  }
}

/** Empty-state text that names the active filters. */
export function emptyText(filters: IncidentFilters): string {
  const what = filters.type === "shutdown" ? "shutdowns" : filters.type === "bootstrap" ? "startup errors" : filters.type === "emergency" ? "emergency audit records" : "incidents";
  return filters.proxy === "" ? `No ${what} recorded` : `No ${what} for ${filters.proxy} recorded`;
}
