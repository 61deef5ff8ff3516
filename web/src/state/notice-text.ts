// Toast text and level for feed notices: the event's own message, else a short default per
// payload kind, else the raw kind.
import { Severity } from "../../../lib/gen/mcpacp/common/v1/severity_pb.ts";
import type { Event } from "../../../lib/gen/mcpacp/api/v1/event_service_pb.ts";
import type { ToastLevel } from "./toasts.ts";

type PayloadCase = NonNullable<Event["payload"]["case"]>;

/** Payload kinds that change state silently; everything else with a severity is a notice. */
export const SILENT_CASES: ReadonlySet<PayloadCase> = new Set<PayloadCase>([
  "snapshot",
  "cachedSnapshot",
  "statsUpdated",
  "newLogEntries",
  "pendingCreated",
  "pendingResolved",
  "pendingCancelled",
  "pendingNotFound",
  "cacheCleared",
  "cacheEntryDeleted",
  "proxyRegistered",
  "incidentsUpdated",
  "keepalive",
  "ready",
]);

const DEFAULT_TEXT: Partial<Record<PayloadCase, string>> = {
  backendConnected: "Backend connected",
  backendReconnected: "Backend reconnected",
  backendDisconnected: "Backend disconnected",
  backendTimeout: "Backend timed out",
  backendRefused: "Backend refused the connection",
  tlsError: "TLS error talking to the backend",
  mtlsFailed: "mTLS handshake with the backend failed",
  certValidationFailed: "Backend certificate validation failed",
  authLogin: "Logged in",
  authLoginFailed: "Login failed",
  authLogout: "Logged out",
  authSessionExpiring: "Session expires soon",
  authFailure: "Authentication failed",
  tokenRefreshFailed: "Token refresh failed",
  tokenValidationFailed: "Token validation failed",
  policyReloaded: "Policy reloaded",
  policyReloadFailed: "Policy reload failed; the previous policy is kept",
  policyFileNotFound: "Policy file not found; the previous policy is kept",
  policyRollback: "Policy rolled back to the previous version",
  configChangeDetected: "Config file changed; restart the proxy to apply",
  rateLimitTriggered: "Rate limit triggered",
  rateLimitApproved: "Rate limit breach approved",
  rateLimitDenied: "Rate limit breach denied",
  requestError: "A request failed in the proxy",
  hitlParseFailed: "An approval request could not be parsed",
  toolSanitizationFailed: "Tool description sanitization failed",
  auditInitFailed: "Audit log could not be initialised",
  auditTampering: "Audit log tampering detected",
  auditMissing: "Audit log file missing",
  auditPermissionDenied: "Audit log permission denied",
  deviceHealthFailed: "Device health check failed",
  sessionHijacking: "Possible session hijacking detected",
  healthDegraded: "Proxy health degraded",
  healthMonitorFailed: "Health monitor failed",
};

export function severityLevel(severity: Severity, fallback: ToastLevel = "info"): ToastLevel {
  switch (severity) {
    case Severity.SUCCESS:
      return "success";
    case Severity.INFO:
      return "info";
    case Severity.WARNING:
      return "warning";
    case Severity.ERROR:
      return "error";
    case Severity.CRITICAL:
      return "critical";
    default:
      return fallback;
  }
}

/** "Policy reloaded" with the proxy name prefixed when known: "[fs] Policy reloaded". */
export function noticeText(event: Event): string {
  const kind = event.payload.case;
  const base = event.message !== "" ? event.message : kind !== undefined ? (DEFAULT_TEXT[kind] ?? humanize(kind)) : "Event";
  return event.proxyName !== "" && !base.includes(event.proxyName) ? `[${event.proxyName}] ${base}` : base;
}

function humanize(kind: string): string {
  const words = kind.replace(/([A-Z])/g, " $1").toLowerCase().trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
