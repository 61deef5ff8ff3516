// Events the hub itself makes: the opening snapshots and ready marker of a subscription,
// keepalives, and incidents_updated. None of them enters the replay ring.
import { create } from "@bufbuild/protobuf";
import { durationFromMs, timestampNow } from "@bufbuild/protobuf/wkt";
import { EventSchema, type Event } from "../../../lib/gen/mcpacp/api/v1/event_service_pb.ts";
import { EventType } from "../../../lib/gen/mcpacp/common/v1/event_pb.ts";
import { Severity } from "../../../lib/gen/mcpacp/common/v1/severity_pb.ts";
import type { StateSnapshot } from "../../../lib/gen/mcpacp/common/v1/snapshot_pb.ts";

/** The manager's cached live state of one attached proxy, as the hub sends it to a new subscriber. */
export interface ProxySnapshotView {
  readonly proxyName: string;
  readonly proxyId: string;
  readonly instanceId: string;
  readonly snapshot: StateSnapshot;
}

export function snapshotEvent(view: ProxySnapshotView, seq: bigint, resync: boolean): Event {
  return create(EventSchema, {
    seq,
    type: EventType.SNAPSHOT,
    severity: Severity.INFO,
    ts: timestampNow(),
    proxyId: view.proxyId,
    proxyName: view.proxyName,
    instanceId: view.instanceId,
    resync,
    payload: { case: "snapshot", value: view.snapshot },
  });
}

/** Sent when no proxy is attached: the viewer's "connected, nothing to show" signal. */
export function emptySnapshotEvent(seq: bigint, resync: boolean): Event {
  return create(EventSchema, {
    seq,
    type: EventType.SNAPSHOT,
    severity: Severity.INFO,
    ts: timestampNow(),
    resync,
    payload: { case: "snapshot", value: { takenAt: timestampNow() } },
  });
}

export function readyEvent(options: { headSeq: bigint; resumed: boolean; keepaliveMs: number; attachedProxies: number }): Event {
  return create(EventSchema, {
    seq: options.headSeq,
    type: EventType.READY,
    severity: Severity.INFO,
    ts: timestampNow(),
    payload: {
      case: "ready",
      value: {
        resumed: options.resumed,
        headSeq: options.headSeq,
        keepaliveInterval: durationFromMs(options.keepaliveMs),
        attachedProxies: options.attachedProxies,
      },
    },
  });
}

export function keepaliveEvent(headSeq: bigint): Event {
  return create(EventSchema, {
    seq: headSeq,
    type: EventType.KEEPALIVE,
    severity: Severity.INFO,
    ts: timestampNow(),
    payload: { case: "keepalive", value: {} },
  });
}

/** Tells viewers to refetch incidents after `trigger` (an incident-type event of a proxy). */
export function incidentsUpdatedEvent(trigger: Event): Event {
  return create(EventSchema, {
    type: EventType.INCIDENTS_UPDATED,
    severity: Severity.INFO,
    ts: timestampNow(),
    proxyId: trigger.proxyId,
    proxyName: trigger.proxyName,
    payload: { case: "incidentsUpdated", value: { proxyName: trigger.proxyName, triggerEvent: trigger.type } },
  });
}
