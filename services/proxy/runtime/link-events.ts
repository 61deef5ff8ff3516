// Proxy-side happenings as ProxyEvents for the manager link: policy reloads, the fail-closed
// shutdown, the backend going away, stats and log growth. Approval and cache events have their
// own mapping in services/proxy/hitl/proto.ts.
import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { EventType, type ProxyEvent, ProxyEventSchema } from "../../../lib/gen/mcpacp/common/v1/event_pb.ts";
import { Severity } from "../../../lib/gen/mcpacp/common/v1/severity_pb.ts";
import type { ProxyStats } from "../../../lib/gen/mcpacp/common/v1/stats_pb.ts";
import type { CriticalShutdownEvent } from "../audit/security-shutdown.ts";
import type { ReloadResult } from "../policy/reload-result.ts";
import { type BackendExit, describeExit } from "../relay/index.ts";

/** The event a finished policy reload calls for; null when nothing changed (no toast for a no-op). */
export function policyReloadEvent(result: ReloadResult, approvalsCleared: number, atMs: number = Date.now()): ProxyEvent | null {
  const ts = timestampFromMs(atMs);
  switch (result.status) {
    case "unchanged":
      return null;
    case "success":
      return create(ProxyEventSchema, {
        type: EventType.POLICY_RELOADED,
        severity: Severity.SUCCESS,
        ts,
        message: `Policy reloaded (${result.policyVersion}, ${result.newRulesCount} rules)`,
        payload: {
          case: "policyReloaded",
          value: { oldRulesCount: result.oldRulesCount, newRulesCount: result.newRulesCount, approvalsCleared, policyVersion: result.policyVersion },
        },
      });
    case "file_error":
    case "validation_error": {
      const value = { errorType: result.errorType ?? result.status, detail: result.error ?? "", activePolicyVersion: result.policyVersion };
      const message = `Policy reload failed; ${result.policyVersion} stays in force: ${result.error ?? result.status}`;
      return result.errorType === "file_not_found"
        ? create(ProxyEventSchema, { type: EventType.POLICY_FILE_NOT_FOUND, severity: Severity.ERROR, ts, message, payload: { case: "policyFileNotFound", value } })
        : create(ProxyEventSchema, { type: EventType.POLICY_RELOAD_FAILED, severity: Severity.ERROR, ts, message, payload: { case: "policyReloadFailed", value } });
    }
  }
}

export function criticalShutdownEvent(event: CriticalShutdownEvent, atMs: number = Date.now()): ProxyEvent {
  return create(ProxyEventSchema, {
    type: EventType.CRITICAL_SHUTDOWN,
    severity: Severity.CRITICAL,
    ts: timestampFromMs(atMs),
    message: event.message,
    payload: { case: "criticalShutdown", value: { reason: event.details, failureType: event.failure_type, exitCode: event.exit_code } },
  });
}

export function backendDisconnectedEvent(exit: BackendExit, serverName: string, atMs: number = Date.now()): ProxyEvent {
  const detail = describeExit(exit);
  return create(ProxyEventSchema, {
    type: EventType.BACKEND_DISCONNECTED,
    severity: Severity.ERROR,
    ts: timestampFromMs(atMs),
    message: `Backend ${serverName} went away: ${detail}`,
    payload: { case: "backendDisconnected", value: { errorType: "backend_exited", detail } },
  });
}

export function statsUpdatedEvent(stats: ProxyStats, atMs: number = Date.now()): ProxyEvent {
  return create(ProxyEventSchema, { type: EventType.STATS_UPDATED, severity: Severity.INFO, ts: timestampFromMs(atMs), payload: { case: "statsUpdated", value: stats } });
}

export function newLogEntriesEvent(count: number, atMs: number = Date.now()): ProxyEvent {
  return create(ProxyEventSchema, { type: EventType.NEW_LOG_ENTRIES, severity: Severity.INFO, ts: timestampFromMs(atMs), payload: { case: "newLogEntries", value: { count } } });
}
