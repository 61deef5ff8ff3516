// The app's one live feed, subscribed through the API client. Screens read its accessors and
// refetch when a *Version() counter changes.
import { api } from "../api/client.ts";
import type { Event } from "../../../lib/gen/mcpacp/api/v1/event_service_pb.ts";
import { createFeedStore, type FeedStore } from "./feed-store.ts";
import type { EventStreamSource } from "./feed-stream.ts";
import { playErrorBeeps } from "./sound.ts";
import { dismissToast, toast } from "./toasts.ts";

export type { CachedList, CachedView, PendingView } from "./feed-reducer.ts";
export type { BannerState, ConnectionState, ConnectionStatus } from "./connection.ts";
export type { FeedStore } from "./feed-store.ts";

/** EventService.Subscribe as an async iterable of events. */
export const apiEventSource: EventStreamSource = async function* (resumeAfterSeq, signal) {
  for await (const res of api.events.subscribe({ resumeAfterSeq }, { signal })) {
    const event: Event | undefined = res.event;
    if (event !== undefined) yield event;
  }
};

export const feed: FeedStore = createFeedStore(apiEventSource, {
  notify: (fx) => toast(fx.level, fx.message, fx.id !== undefined ? { id: fx.id } : undefined),
  dismissNotice: (id) => dismissToast(id),
  onDisconnected: () => playErrorBeeps(),
});
