// Dashboard events that come out of the link: a proxy attached or left, and what it reported.
import { timestampFromDate, timestampNow } from "@bufbuild/protobuf/wkt";
import type { DisconnectReason } from "../../../lib/gen/mcpacp/api/v1/event_service_pb.ts";
import { EventType, type ProxyEvent } from "../../../lib/gen/mcpacp/common/v1/event_pb.ts";
import { Severity } from "../../../lib/gen/mcpacp/common/v1/severity_pb.ts";
import type { StateSnapshot } from "../../../lib/gen/mcpacp/common/v1/snapshot_pb.ts";
import type { EventInit } from "../events/index.ts";
import type { RegistryEntry } from "../registry/index.ts";

function origin(entry: RegistryEntry): Pick<EventInit, "proxyId" | "proxyName" | "instanceId"> {
  return { proxyId: entry.proxyId, proxyName: entry.proxyName, instanceId: entry.instanceId };
}

export function proxyRegisteredEvent(entry: RegistryEntry, replaced: boolean): EventInit {
  return {
    type: EventType.PROXY_REGISTERED,
    severity: Severity.INFO,
    ts: timestampNow(),
    ...origin(entry),
    message: replaced ? `Proxy '${entry.proxyName}' re-attached (new run)` : `Proxy '${entry.proxyName}' attached`,
    payload: {
      case: "proxyRegistered",
      value: {
        proxyName: entry.proxyName,
        proxyId: entry.proxyId,
        instanceId: entry.instanceId,
        pid: entry.pid,
        configSummary: entry.configSummary,
        connectedAt: timestampFromDate(entry.connectedAt),
        replaced,
      },
    },
  };
}

export function proxyDisconnectedEvent(entry: RegistryEntry, reason: DisconnectReason | undefined): EventInit {
  return {
    type: EventType.PROXY_DISCONNECTED,
    severity: reason === undefined ? Severity.INFO : Severity.CRITICAL,
    ts: timestampNow(),
    ...origin(entry),
    message:
      reason === undefined
        ? `Proxy '${entry.proxyName}' disconnected`
        : `Proxy '${entry.proxyName}' stopped: ${reason.failureType} (exit ${reason.exitCode})`,
    payload: {
      case: "proxyDisconnected",
      value: { proxyName: entry.proxyName, proxyId: entry.proxyId, instanceId: entry.instanceId, reason },
    },
  };
}

/** A proxy's event as the dashboard sees it: the same payload, tagged with the proxy. */
export function forwardedEvent(entry: RegistryEntry, event: ProxyEvent): EventInit {
  return {
    type: event.type,
    severity: event.severity,
    ts: event.ts ?? timestampNow(),
    ...origin(entry),
    message: event.message,
    payload: event.payload,
  };
}

/** A snapshot frame from the proxy, republished so viewers replace that proxy's state. */
export function receivedSnapshotEvent(entry: RegistryEntry, snapshot: StateSnapshot): EventInit {
  return {
    type: EventType.SNAPSHOT,
    severity: Severity.INFO,
    ts: snapshot.takenAt ?? timestampNow(),
    ...origin(entry),
    payload: { case: "snapshot", value: snapshot },
  };
}
