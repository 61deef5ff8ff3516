// EventService.Subscribe: the dashboard's live feed, served from the event hub. The hub does the
// work (subscribe before snapshotting, replay ring, keepalives, bounded queue); this adapts it to
// Connect: the RPC's abort signal ends the subscription, and HubErrors become Connect errors with
// an ErrorDetail. Subscriber count changes reach the proxies as ui_status through the link server,
// which listens to the hub itself.
import { Code, ConnectError, type ServiceImpl } from "@connectrpc/connect";
import type { EventService, SubscribeRequest } from "../../../lib/gen/mcpacp/api/v1/event_service_pb.ts";
import { HubError, HubErrorCode, type EventHub } from "../events/index.ts";
import { apiError } from "../gateway/index.ts";

/** ErrorDetail.code of a subscriber cut off for falling behind; resubscribe with the last seq. */
export const SUBSCRIBER_BEHIND = "EVENT_SUBSCRIBER_BEHIND";
/** ErrorDetail.code when the manager is shutting down. */
export const MANAGER_SHUTTING_DOWN = "MANAGER_SHUTTING_DOWN";

/** The Connect error a HubError reaches the client as; anything else passes through unchanged. */
export function hubErrorToConnect(error: unknown): unknown {
  if (!(error instanceof HubError)) return error;
  switch (error.code) {
    case HubErrorCode.ResourceExhausted:
      return apiError(Code.ResourceExhausted, SUBSCRIBER_BEHIND, `${error.message}.`, { cause: error });
    case HubErrorCode.Unavailable:
      return apiError(Code.Unavailable, MANAGER_SHUTTING_DOWN, `${error.message}.`, { cause: error });
    default:
      return new ConnectError(error.message, Code.Internal, undefined, undefined, error);
  }
}

export type EventSource = Pick<EventHub, "subscribe">;

async function* subscribe(hub: EventSource, request: SubscribeRequest, signal: AbortSignal) {
  let subscription;
  try {
    subscription = hub.subscribe({ proxies: request.proxies, resumeAfterSeq: request.resumeAfterSeq, signal });
  } catch (error) {
    throw hubErrorToConnect(error);
  }
  try {
    for await (const event of subscription) yield { event };
  } catch (error) {
    throw hubErrorToConnect(error);
  } finally {
    subscription.close();
  }
}

export function eventServiceImpl(hub: EventSource): ServiceImpl<typeof EventService> {
  return {
    subscribe: (request, context) => subscribe(hub, request, context.signal),
  };
}
