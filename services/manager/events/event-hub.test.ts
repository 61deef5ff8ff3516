import { describe, expect, test } from "bun:test";
import { create } from "@bufbuild/protobuf";
import type { Event } from "../../../lib/gen/mcpacp/api/v1/event_service_pb.ts";
import { EventType } from "../../../lib/gen/mcpacp/common/v1/event_pb.ts";
import { StateSnapshotSchema } from "../../../lib/gen/mcpacp/common/v1/snapshot_pb.ts";
import { HubError, HubErrorCode } from "./errors.ts";
import { EventHub, type EventHubOptions, type EventInit, type Subscription } from "./event-hub.ts";
import type { ProxySnapshotView } from "./hub-events.ts";

function hub(options: Partial<EventHubOptions> = {}, views: () => ProxySnapshotView[] = () => []): EventHub {
  return new EventHub({ snapshots: views, seqBase: 0n, ...options });
}

function logEvent(proxyName: string, count: number): EventInit {
  return { type: EventType.NEW_LOG_ENTRIES, proxyName, proxyId: `px_00000000:${proxyName}`, payload: { case: "newLogEntries", value: { count } } };
}

function statsEvent(proxyName: string, total: number): EventInit {
  return {
    type: EventType.STATS_UPDATED,
    proxyName,
    instanceId: `${proxyName}-run`,
    payload: { case: "statsUpdated", value: { requestsTotal: BigInt(total) } },
  };
}

const iterators = new WeakMap<Subscription, AsyncIterator<Event>>();

/** Reads the next `count` events of one subscription (one iterator per subscription). */
async function take(sub: Subscription, count: number): Promise<Event[]> {
  let iterator = iterators.get(sub);
  if (iterator === undefined) {
    iterator = sub[Symbol.asyncIterator]();
    iterators.set(sub, iterator);
  }
  const out: Event[] = [];
  while (out.length < count) {
    const step = await iterator.next();
    if (step.done === true) break;
    out.push(step.value);
  }
  return out;
}

const types = (events: Event[]) => events.map((e) => e.type);

describe("opening of a subscription", () => {
  test("with no proxy attached: one empty snapshot without proxy, then ready", async () => {
    const h = hub();
    h.publish(logEvent("a", 1));
    const events = await take(h.subscribe(), 2);
    expect(types(events)).toEqual([EventType.SNAPSHOT, EventType.READY]);
    expect(events[0]?.proxyId).toBe("");
    expect(events[0]?.seq).toBe(1n);
    const ready = events[1]?.payload;
    expect(ready?.case === "ready" && ready.value).toMatchObject({ resumed: false, headSeq: 1n, attachedProxies: 0 });
  });

  test("one snapshot per attached proxy from the cache, filtered by the requested proxies", async () => {
    const views: ProxySnapshotView[] = ["a", "b"].map((name) => ({
      proxyName: name,
      proxyId: `px_0000000${name === "a" ? 1 : 2}:${name}`,
      instanceId: `${name}-run`,
      snapshot: create(StateSnapshotSchema, { clientId: `client-${name}` }),
    }));
    const h = hub({}, () => views);
    const all = await take(h.subscribe(), 3);
    expect(all.map((e) => `${EventType[e.type]}:${e.proxyName}`)).toEqual(["SNAPSHOT:a", "SNAPSHOT:b", "READY:"]);
    const onlyB = await take(h.subscribe({ proxies: ["px_00000002:b"] }), 2);
    expect(onlyB.map((e) => `${EventType[e.type]}:${e.proxyName}`)).toEqual(["SNAPSHOT:b", "READY:"]);
  });

  test("subscribe-then-snapshot leaves no gap while events are published concurrently", async () => {
    let counter = 0;
    const h = hub({ queueCap: 100_000 }, () => [
      { proxyName: "p", proxyId: "px_00000000:p", instanceId: "p-run", snapshot: create(StateSnapshotSchema, { stats: { requestsTotal: BigInt(counter) } }) },
    ]);
    let publishing = true;
    const publisher = (async () => {
      while (publishing) {
        for (let i = 0; i < 5; i++) {
          counter++;
          h.publish(logEvent("p", counter));
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const subs: Subscription[] = [];
    for (let i = 0; i < 20; i++) {
      subs.push(h.subscribe());
      await new Promise((resolve) => setImmediate(resolve));
    }
    await new Promise((resolve) => setImmediate(resolve));
    publishing = false;
    await publisher;
    const finalCount = counter;
    for (const sub of subs) {
      const opening = await take(sub, 2);
      const snap = opening[0]?.payload;
      if (snap?.case !== "snapshot") throw new Error("expected a snapshot first");
      const base = Number(snap.value.stats?.requestsTotal ?? 0n);
      const live = await take(sub, finalCount - base);
      // Every event after the snapshot, in order, none missing, none repeated.
      expect(live.map((e) => (e.payload.case === "newLogEntries" ? e.payload.value.count : -1))).toEqual(
        Array.from({ length: finalCount - base }, (_, i) => base + i + 1),
      );
      expect(opening[0]?.seq).toBe(BigInt(base));
      sub.close();
    }
  });
});

describe("resume", () => {
  test("a seq still in the ring replays exactly the missed events", async () => {
    const h = hub({ ringSize: 8 });
    for (let i = 1; i <= 6; i++) h.publish(logEvent("a", i));
    const events = await take(h.subscribe({ resumeAfterSeq: 3n }), 4);
    expect(events.slice(0, 3).map((e) => e.seq)).toEqual([4n, 5n, 6n]);
    const ready = events[3]?.payload;
    expect(ready?.case === "ready" && ready.value.resumed).toBe(true);
  });

  test("a seq that fell out of the ring gets snapshots marked resync", async () => {
    const views = [{ proxyName: "a", proxyId: "px_00000001:a", instanceId: "a-run", snapshot: create(StateSnapshotSchema, {}) }];
    const h = hub({ ringSize: 4 }, () => views);
    for (let i = 1; i <= 10; i++) h.publish(logEvent("a", i));
    const events = await take(h.subscribe({ resumeAfterSeq: 2n }), 2);
    expect(types(events)).toEqual([EventType.SNAPSHOT, EventType.READY]);
    expect(events[0]?.resync).toBe(true);
    expect(events[0]?.seq).toBe(10n);
    const ready = events[1]?.payload;
    expect(ready?.case === "ready" && ready.value.resumed).toBe(false);
  });

  test("a seq from another manager run (above the head) gets a resync", async () => {
    const h = hub();
    h.publish(logEvent("a", 1));
    const events = await take(h.subscribe({ resumeAfterSeq: 999n }), 1);
    expect(events[0]?.type).toBe(EventType.SNAPSHOT);
    expect(events[0]?.resync).toBe(true);
  });

  test("the default seq base puts a later run's seqs above an earlier run's", () => {
    const earlier = new EventHub({ snapshots: () => [], now: () => 1_700_000_000_000 });
    for (let i = 0; i < 5000; i++) earlier.publish(logEvent("a", i));
    const later = new EventHub({ snapshots: () => [], now: () => 1_700_000_000_010 });
    expect(later.headSeq).toBeGreaterThan(earlier.headSeq);
    expect(later.headSeq).toBeLessThan(2n ** 53n);
  });
});

describe("flow control", () => {
  test("a subscriber that falls behind the cap is cut off with RESOURCE_EXHAUSTED; others keep going", async () => {
    const counts: number[] = [];
    const h = hub({ queueCap: 10 });
    h.onSubscribersChanged((n) => counts.push(n));
    const slow = h.subscribe();
    const fast = h.subscribe();
    const fastEvents: Event[] = [];
    const fastReader = (async () => {
      for await (const event of fast) {
        fastEvents.push(event);
        if (fastEvents.length === 2 + 25) break;
      }
    })();
    for (let i = 1; i <= 25; i++) {
      h.publish(logEvent("a", i));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await fastReader;
    expect(fastEvents.filter((e) => e.type === EventType.NEW_LOG_ENTRIES)).toHaveLength(25);
    const error = await take(slow, 100).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(HubError);
    expect((error as HubError).code).toBe(HubErrorCode.ResourceExhausted);
    expect(counts).toEqual([1, 2, 1, 0]);
    expect(h.subscriberCount).toBe(0);
  });

  test("a keepalive follows a quiet interval, carrying the head seq", async () => {
    const h = hub({ keepaliveMs: 30 });
    h.publish(logEvent("a", 1));
    const events = await take(h.subscribe(), 3);
    expect(types(events)).toEqual([EventType.SNAPSHOT, EventType.READY, EventType.KEEPALIVE]);
    expect(events[2]?.seq).toBe(1n);
    expect(h.headSeq).toBe(1n);
  });

  test("stats_updated is coalesced per proxy run: the first goes out, the newest follows the interval", async () => {
    const h = hub({ statsCoalesceMs: 150 });
    const sub = h.subscribe();
    await take(sub, 2);
    for (let i = 1; i <= 5; i++) h.publish(statsEvent("a", i));
    h.publish(statsEvent("b", 1));
    const events = await take(sub, 3);
    const totals = events.map((e) => `${e.proxyName}:${e.payload.case === "statsUpdated" ? e.payload.value.requestsTotal : "?"}`);
    expect(totals).toEqual(["a:1", "b:1", "a:5"]);
    expect(events.map((e) => e.seq)).toEqual([1n, 2n, 3n]);
    sub.close();
  });

  test("a held-back stats update is dropped when its proxy run goes away", async () => {
    const h = hub({ statsCoalesceMs: 50, keepaliveMs: 200 });
    const sub = h.subscribe();
    await take(sub, 2);
    h.publish(statsEvent("a", 1));
    h.publish(statsEvent("a", 2));
    h.forgetProxyRun("a-run");
    const events = await take(sub, 2);
    expect(types(events)).toEqual([EventType.STATS_UPDATED, EventType.KEEPALIVE]);
    sub.close();
  });
});

describe("events and lifecycle", () => {
  test("an incident-type event is followed by incidents_updated naming its trigger", async () => {
    const h = hub();
    const sub = h.subscribe();
    await take(sub, 2);
    h.publish({ type: EventType.AUDIT_TAMPERING, proxyName: "a", proxyId: "px_00000001:a", payload: { case: "auditTampering", value: { reason: "x" } } });
    const events = await take(sub, 2);
    expect(types(events)).toEqual([EventType.AUDIT_TAMPERING, EventType.INCIDENTS_UPDATED]);
    const update = events[1]?.payload;
    expect(update?.case === "incidentsUpdated" && update.value).toMatchObject({ proxyName: "a", triggerEvent: EventType.AUDIT_TAMPERING });
    sub.close();
  });

  test("a proxy filter passes that proxy's events and manager-wide ones only", async () => {
    const h = hub();
    const sub = h.subscribe({ proxies: ["a"] });
    await take(sub, 2);
    h.publish(logEvent("b", 1));
    h.publish(logEvent("a", 2));
    h.publish({ type: EventType.AUTH_LOGOUT, payload: { case: "authLogout", value: { reason: "user" } } });
    const events = await take(sub, 2);
    expect(events.map((e) => `${EventType[e.type]}:${e.proxyName}`)).toEqual(["NEW_LOG_ENTRIES:a", "AUTH_LOGOUT:"]);
    sub.close();
  });

  test("close() ends every stream normally and refuses new subscribers", async () => {
    const h = hub();
    const sub = h.subscribe();
    const reading = take(sub, 100);
    h.close();
    expect(types(await reading)).toEqual([EventType.SNAPSHOT, EventType.READY]);
    expect(() => h.subscribe()).toThrow(HubError);
    h.publish(logEvent("a", 1));
    expect(h.headSeq).toBe(0n);
  });

  test("an aborted signal unsubscribes", () => {
    const h = hub();
    const controller = new AbortController();
    h.subscribe({ signal: controller.signal });
    expect(h.subscriberCount).toBe(1);
    controller.abort();
    expect(h.subscriberCount).toBe(0);
  });
});
