import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { timestampNow } from "@bufbuild/protobuf/wkt";
import { EventSchema, type Event } from "../../../lib/gen/mcpacp/api/v1/event_service_pb.ts";
import { EventType } from "../../../lib/gen/mcpacp/common/v1/event_pb.ts";
import { HubError, HubErrorCode } from "./errors.ts";
import { INCIDENT_EVENT_TYPES, concernsProxy } from "./event-kinds.ts";
import {
  emptySnapshotEvent,
  incidentsUpdatedEvent,
  keepaliveEvent,
  readyEvent,
  snapshotEvent,
  type ProxySnapshotView,
} from "./hub-events.ts";
import { ReplayRing } from "./replay-ring.ts";
import { StatsCoalescer } from "./stats-coalescer.ts";
import { SubscriberQueue } from "./subscriber-queue.ts";

export type EventInit = MessageInitShape<typeof EventSchema>;

/** Spec manager.md §13. */
export const HUB_DEFAULTS = Object.freeze({
  ringSize: 1024,
  queueCap: 1000,
  keepaliveMs: 30_000,
  statsCoalesceMs: 250,
});

export interface EventHubOptions {
  /** The cached live state of every attached proxy, read when a subscriber needs snapshots. */
  snapshots: () => readonly ProxySnapshotView[];
  ringSize?: number;
  queueCap?: number;
  keepaliveMs?: number;
  statsCoalesceMs?: number;
  /**
   * Seq of the (virtual) event before the first one. Default: start time in ms × 1000, so the
   * seqs of a later manager run are always above those of an earlier one and a browser resuming
   * across a manager restart gets a resync, never a replay of unrelated events. Stays below 2^53.
   */
  seqBase?: bigint;
  now?: () => number;
}

export interface SubscribeOptions {
  /** Proxy names or ids to receive events of; empty = all. Manager-wide events always pass. */
  proxies?: readonly string[];
  /** Last seq the client processed; 0 or absent = fresh start. */
  resumeAfterSeq?: bigint;
  /** Ends the subscription (normally) when aborted, e.g. the RPC's signal. */
  signal?: AbortSignal;
}

/** A live feed: iterate it once. Leaving the loop or close() unsubscribes. */
export interface Subscription extends AsyncIterable<Event> {
  readonly id: number;
  close(): void;
}

type SubscriberListener = (count: number) => void;

interface Subscriber {
  readonly id: number;
  readonly queue: SubscriberQueue;
  readonly wants: (event: Pick<Event, "proxyName" | "proxyId">) => boolean;
}

function proxyMatcher(proxies: readonly string[] | undefined): Subscriber["wants"] {
  if (proxies === undefined || proxies.length === 0) return () => true;
  const keys = new Set(proxies);
  return (event) => !concernsProxy(event) || keys.has(event.proxyName) || keys.has(event.proxyId);
}

/**
 * Fans events out to dashboard subscribers. Every published event gets the next seq and enters a
 * replay ring. A subscriber is registered before its snapshots are taken, in the same tick, so no
 * event can fall between snapshot and live feed. stats_updated is coalesced per proxy run, and an
 * incident-type event is followed by incidents_updated.
 */
export class EventHub {
  private readonly ring: ReplayRing;
  private readonly subscribers = new Map<number, Subscriber>();
  private readonly listeners = new Set<SubscriberListener>();
  private readonly coalescer: StatsCoalescer;
  private readonly queueCap: number;
  private readonly keepaliveMs: number;
  private seq: bigint;
  private nextSubscriberId = 1;
  private closed = false;

  constructor(private readonly options: EventHubOptions) {
    this.ring = new ReplayRing(options.ringSize ?? HUB_DEFAULTS.ringSize);
    this.queueCap = options.queueCap ?? HUB_DEFAULTS.queueCap;
    this.keepaliveMs = options.keepaliveMs ?? HUB_DEFAULTS.keepaliveMs;
    this.seq = options.seqBase ?? BigInt((options.now ?? Date.now)()) * 1000n;
    this.coalescer = new StatsCoalescer(
      options.statsCoalesceMs ?? HUB_DEFAULTS.statsCoalesceMs,
      (event) => this.emit(event),
      options.now,
    );
  }

  /** Seq of the newest published event (seqBase before the first). */
  get headSeq(): bigint {
    return this.seq;
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  /** Called with the new count after every subscribe and unsubscribe. Returns a remover. */
  onSubscribersChanged(listener: SubscriberListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Publishes an event: assigns seq (and ts when unset), stores it and queues it for every
   * matching subscriber. stats_updated may be held back up to the coalescing interval. A no-op
   * once the hub is closed.
   */
  publish(init: EventInit): void {
    if (this.closed) return;
    const event = create(EventSchema, init);
    event.ts ??= timestampNow();
    if (event.type === EventType.STATS_UPDATED && concernsProxy(event)) {
      this.coalescer.offer(event.instanceId || event.proxyName || event.proxyId, event);
      return;
    }
    this.emit(event);
    if (INCIDENT_EVENT_TYPES.has(event.type)) this.emit(incidentsUpdatedEvent(event));
  }

  /** Drops a held-back stats update of a proxy run that has gone (call before its disconnect event). */
  forgetProxyRun(instanceId: string): void {
    this.coalescer.drop(instanceId);
  }

  subscribe(options: SubscribeOptions = {}): Subscription {
    if (this.closed) throw new HubError(HubErrorCode.Unavailable, "the manager is shutting down; reconnect in a moment");
    const subscriber: Subscriber = {
      id: this.nextSubscriberId++,
      queue: new SubscriberQueue(this.queueCap),
      wants: proxyMatcher(options.proxies),
    };
    // Registration and the opening events happen in one synchronous step: whatever is published
    // after this line lands behind the snapshots in the subscriber's queue.
    this.subscribers.set(subscriber.id, subscriber);
    this.queueOpening(subscriber, options.resumeAfterSeq ?? 0n);
    this.notifyListeners();

    const remove = () => this.unsubscribe(subscriber);
    const close = () => {
      subscriber.queue.end();
      remove();
    };
    if (options.signal?.aborted) close();
    else options.signal?.addEventListener("abort", close, { once: true });
    return {
      id: subscriber.id,
      close,
      [Symbol.asyncIterator]: () => this.iterate(subscriber, remove),
    };
  }

  /** Ends every subscriber stream and stops accepting new ones. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.coalescer.close();
    for (const subscriber of [...this.subscribers.values()]) {
      subscriber.queue.end();
      this.unsubscribe(subscriber);
    }
  }

  private emit(event: Event): void {
    if (this.closed) return;
    this.seq += 1n;
    event.seq = this.seq;
    this.ring.push(event);
    for (const subscriber of this.subscribers.values()) {
      if (subscriber.wants(event) && !subscriber.queue.push(event)) this.unsubscribe(subscriber);
    }
  }

  private queueOpening(subscriber: Subscriber, resumeAfterSeq: bigint): void {
    const head = this.seq;
    const attached = this.options.snapshots();
    const views = attached.filter((view) => subscriber.wants(view));
    if (resumeAfterSeq > 0n) {
      const missed = this.ring.after(resumeAfterSeq, head);
      if (missed !== undefined) {
        for (const event of missed) if (subscriber.wants(event)) subscriber.queue.pushOpening(event);
        subscriber.queue.pushOpening(readyEvent({ headSeq: head, resumed: true, keepaliveMs: this.keepaliveMs, attachedProxies: attached.length }));
        return;
      }
    }
    const resync = resumeAfterSeq > 0n;
    for (const view of views) subscriber.queue.pushOpening(snapshotEvent(view, head, resync));
    if (views.length === 0) subscriber.queue.pushOpening(emptySnapshotEvent(head, resync));
    subscriber.queue.pushOpening(readyEvent({ headSeq: head, resumed: false, keepaliveMs: this.keepaliveMs, attachedProxies: attached.length }));
  }

  private async *iterate(subscriber: Subscriber, remove: () => void): AsyncGenerator<Event> {
    try {
      for (;;) {
        const next = subscriber.queue.take();
        if (next === null) return;
        if (next !== "empty") {
          yield next;
          continue;
        }
        if ((await subscriber.queue.waitForItem(this.keepaliveMs)) === "quiet") yield keepaliveEvent(this.seq);
      }
    } finally {
      remove();
    }
  }

  private unsubscribe(subscriber: Subscriber): void {
    if (!this.subscribers.delete(subscriber.id)) return;
    this.notifyListeners();
  }

  private notifyListeners(): void {
    const count = this.subscribers.size;
    for (const listener of this.listeners) listener(count);
  }
}
