// services/manager/events: the event hub (sequence numbers, replay ring, subscriptions with
// opening snapshots, keepalives, bounded queues, stats coalescing).
export { HubError, HubErrorCode } from "./errors.ts";
export { INCIDENT_EVENT_TYPES, concernsProxy, eventTypeName, payloadCaseOf, payloadMatchesType } from "./event-kinds.ts";
export { EventHub, HUB_DEFAULTS, type EventHubOptions, type EventInit, type SubscribeOptions, type Subscription } from "./event-hub.ts";
export { type ProxySnapshotView } from "./hub-events.ts";
