// What each EventType looks like on the wire: the name of its payload field, and which types are
// incidents. Derived from the generated descriptors so the proto stays the single source of truth.
import { EventSchema, type Event } from "../../../lib/gen/mcpacp/api/v1/event_service_pb.ts";
import { EventType, EventTypeSchema } from "../../../lib/gen/mcpacp/common/v1/event_pb.ts";

/** Payload field (protobuf-es localName, e.g. "pendingCreated") per event type number. */
const PAYLOAD_CASE = new Map<number, string>();
{
  const payload = EventSchema.oneofs.find((oneof) => oneof.name === "payload");
  for (const value of EventTypeSchema.values) {
    const fieldName = value.name.replace(/^EVENT_TYPE_/, "").toLowerCase();
    const field = payload?.fields.find((f) => f.name === fieldName);
    if (field !== undefined) PAYLOAD_CASE.set(value.number, field.localName);
  }
}

/** Event types whose arrival may mean a new incident record; each also yields incidents_updated. */
export const INCIDENT_EVENT_TYPES: ReadonlySet<EventType> = new Set([
  EventType.CRITICAL_SHUTDOWN,
  EventType.AUDIT_INIT_FAILED,
  EventType.AUDIT_TAMPERING,
  EventType.AUDIT_MISSING,
  EventType.AUDIT_PERMISSION_DENIED,
  EventType.DEVICE_HEALTH_FAILED,
  EventType.SESSION_HIJACKING,
  EventType.HEALTH_DEGRADED,
  EventType.HEALTH_MONITOR_FAILED,
]);

/** The payload field an event of this type must carry, or undefined for UNSPECIFIED/unknown numbers. */
export function payloadCaseOf(type: EventType): string | undefined {
  return PAYLOAD_CASE.get(type);
}

/** True when exactly the payload that matches `type` is set. */
export function payloadMatchesType(type: EventType, payloadCase: string | undefined): boolean {
  const expected = PAYLOAD_CASE.get(type);
  return expected !== undefined && expected === payloadCase;
}

/** "pending_created" for EventType.PENDING_CREATED; "unknown_<n>" for numbers the proto lacks. */
export function eventTypeName(type: EventType): string {
  const name = EventTypeSchema.values.find((v) => v.number === type)?.name;
  return name === undefined ? `unknown_${type}` : name.replace(/^EVENT_TYPE_/, "").toLowerCase();
}

/** True when the event concerns one proxy (as opposed to manager-wide events). */
export function concernsProxy(event: Pick<Event, "proxyName" | "proxyId">): boolean {
  return event.proxyName !== "" || event.proxyId !== "";
}
