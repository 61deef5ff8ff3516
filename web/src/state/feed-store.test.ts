import { describe, expect, test } from "bun:test";
import type { Event } from "../../../lib/gen/mcpacp/api/v1/event_service_pb.ts";
import { createFeedStore, type FeedStoreOptions } from "./feed-store.ts";
import type { TimerApi } from "./feed-stream.ts";
import { created, ev, ready, snapshot } from "./test-events.ts";

/** One subscription attempt the test drives: push events, then end or fail it. */
class FakeStream {
  private queue: Event[] = [];
  private waiting: ((r: IteratorResult<Event>) => void) | undefined;
  private failWith: ((e: unknown) => void) | undefined;
  private done = false;
  private error: unknown;
  constructor(readonly resumeAfterSeq: bigint, signal: AbortSignal) {
    signal.addEventListener("abort", () => this.fail(signal.reason ?? new Error("aborted")));
  }
  push(e: Event): void {
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = undefined;
      this.failWith = undefined;
      w({ value: e, done: false });
    } else this.queue.push(e);
  }
  end(): void {
    this.done = true;
    this.waiting?.({ value: undefined, done: true });
  }
  fail(e: unknown): void {
    this.error = e;
    this.failWith?.(e);
  }
  iterable(): AsyncIterable<Event> {
    return {
      [Symbol.asyncIterator]: () => ({
        next: () =>
          new Promise<IteratorResult<Event>>((resolve, reject) => {
            const head = this.queue.shift();
            if (head !== undefined) return resolve({ value: head, done: false });
            if (this.error !== undefined) return reject(this.error);
            if (this.done) return resolve({ value: undefined, done: true });
            this.waiting = resolve;
            this.failWith = reject;
          }),
      }),
    };
  }
}

function harness(opts: FeedStoreOptions = {}) {
  const streams: FakeStream[] = [];
  const delays: number[] = [];
  const wakeups: (() => void)[] = [];
  const timers = new Map<number, () => void>();
  let nextTimer = 1;
  const timerApi: TimerApi = {
    set: (fn) => {
      const id = nextTimer++;
      timers.set(id, fn);
      return id;
    },
    clear: (h) => {
      timers.delete(h as number);
    },
  };
  const toasts: string[] = [];
  let disconnectedCalls = 0;
  const store = createFeedStore(
    (seq, signal) => {
      const s = new FakeStream(seq, signal);
      streams.push(s);
      return s.iterable();
    },
    {
      notify: (t) => toasts.push(`${t.level}:${t.message}`),
      onDisconnected: () => disconnectedCalls++,
      ...opts,
      runner: {
        random: () => 0.5,
        timers: timerApi,
        sleep: (ms, signal) =>
          new Promise<void>((resolve) => {
            delays.push(ms);
            wakeups.push(resolve);
            signal.addEventListener("abort", () => resolve());
          }),
      },
    },
  );
  const tick = async (): Promise<void> => {
    for (let i = 0; i < 10; i++) await Promise.resolve();
  };
  const wake = async (): Promise<void> => {
    wakeups.shift()?.();
    await tick();
  };
  const fireTimers = async (): Promise<void> => {
    for (const [id, fn] of [...timers]) {
      timers.delete(id);
      fn();
    }
    await tick();
  };
  return { store, streams, delays, wake, tick, fireTimers, toasts, disconnected: () => disconnectedCalls };
}

describe("feed store", () => {
  test("connects on Ready, exposes pending/cached/stats, resumes after the last seq on reconnect", async () => {
    const h = harness();
    h.store.start();
    await h.tick();
    expect(h.streams).toHaveLength(1);
    expect(h.streams[0]?.resumeAfterSeq).toBe(0n);
    expect(h.store.connection().status).toBe("connecting");
    h.streams[0]?.push(snapshot("fs", 4n, ["a"], [90]));
    h.streams[0]?.push(ready(4n));
    h.streams[0]?.push(created("fs", "b", 5n, 2_000_000));
    await h.tick();
    expect(h.store.connection().status).toBe("connected");
    expect(h.store.banner()).toBe("none");
    expect(h.store.pending().map((p) => p.approval.id)).toEqual(["a", "b"]);
    expect(h.store.pendingFor("web")).toEqual([]);
    expect(h.store.cached("fs")?.entries).toHaveLength(1);
    expect(h.store.stats("fs")?.requestsTotal).toBe(5n);
    expect(h.store.attached("fs")).toBe(true);

    const versionBefore = h.store.proxiesVersion();
    h.streams[0]?.fail(new Error("network down"));
    await h.tick();
    expect(h.store.connection().status).toBe("reconnecting");
    expect(h.store.banner()).toBe("reconnecting");
    expect(h.delays).toEqual([1000]);
    await h.wake();
    expect(h.streams).toHaveLength(2);
    expect(h.streams[1]?.resumeAfterSeq).toBe(5n);
    h.streams[1]?.push(ready(5n, true));
    await h.tick();
    expect(h.store.banner()).toBe("restored");
    expect(h.store.proxiesVersion()).toBe(versionBefore + 1);
    expect(h.store.pending()).toHaveLength(2);
    await h.store.stop();
  });

  test("five failures in a row turn disconnected once; Retry skips the wait", async () => {
    const h = harness();
    h.store.start();
    await h.tick();
    h.streams[0]?.push(ready(1n));
    await h.tick();
    for (let i = 0; i < 5; i++) {
      h.streams[i]?.fail(new Error("refused"));
      await h.tick();
      if (i < 4) await h.wake();
    }
    expect(h.store.connection().failures).toBe(5);
    expect(h.store.banner()).toBe("disconnected");
    expect(h.disconnected()).toBe(1);
    expect(h.delays).toEqual([1000, 2000, 4000, 8000, 10000]);
    h.store.retry();
    await h.tick();
    expect(h.streams).toHaveLength(6);
    await h.store.stop();
  });

  test("a silent stream (no keepalive) is treated as failed and reconnects", async () => {
    const h = harness();
    h.store.start();
    await h.tick();
    h.streams[0]?.push(ready(1n, false, 15));
    await h.tick();
    expect(h.store.connection().status).toBe("connected");
    await h.fireTimers();
    expect(h.store.connection().status).toBe("reconnecting");
    await h.store.stop();
  });

  test("a stream the server ends counts as a failure too", async () => {
    const h = harness();
    h.store.start();
    await h.tick();
    h.streams[0]?.push(ready(1n));
    await h.tick();
    h.streams[0]?.end();
    await h.tick();
    expect(h.store.connection().status).toBe("reconnecting");
    await h.store.stop();
  });

  test("a resync replaces state: proxies without a snapshot disappear", async () => {
    const h = harness();
    h.store.start();
    await h.tick();
    h.streams[0]?.push(snapshot("fs", 1n, ["a"]));
    h.streams[0]?.push(snapshot("web", 2n, ["b"]));
    h.streams[0]?.push(ready(2n));
    await h.tick();
    h.streams[0]?.fail(new Error("cut"));
    await h.tick();
    await h.wake();
    h.streams[1]?.push(ev({ seq: 900n, proxyName: "web", resync: true, payload: { case: "snapshot", value: { pending: [] } } }));
    h.streams[1]?.push(ready(900n, false));
    await h.tick();
    expect(h.store.pending()).toEqual([]);
    expect(h.store.attached("fs")).toBe(false);
    expect(h.store.attached("web")).toBe(true);
    await h.store.stop();
  });

  test("deleted elsewhere → info toast and listeners; local deletes stay quiet", async () => {
    const h = harness();
    const deleted: string[] = [];
    h.store.onProxyDeleted((n) => deleted.push(n));
    h.store.start();
    await h.tick();
    h.streams[0]?.push(ready(1n));
    h.streams[0]?.push(ev({ seq: 2n, payload: { case: "proxyDeleted", value: { proxyName: "fs" } } }));
    await h.tick();
    h.store.markLocalDelete("web");
    h.streams[0]?.push(ev({ seq: 3n, payload: { case: "proxyDeleted", value: { proxyName: "web" } } }));
    await h.tick();
    expect(deleted).toEqual(["fs", "web"]);
    expect(h.toasts).toEqual(["info:Proxy 'fs' was deleted"]);
    await h.store.stop();
  });

  test("approval-created listeners fire once per new approval; local cache edits apply at once", async () => {
    const h = harness();
    const seen: string[] = [];
    h.store.onApprovalCreated((p) => seen.push(p.key));
    h.store.start();
    await h.tick();
    h.streams[0]?.push(snapshot("fs", 1n, [], [60, 60]));
    h.streams[0]?.push(ready(1n));
    h.streams[0]?.push(created("fs", "x", 2n));
    h.streams[0]?.push(created("fs", "x", 2n));
    await h.tick();
    expect(seen).toEqual(["fs/x"]);
    const first = h.store.cached("fs")?.entries[0];
    if (first === undefined) throw new Error("expected a cached entry");
    h.store.removeCachedLocally("fs", first.key);
    expect(h.store.cached("fs")?.entries).toHaveLength(1);
    h.store.clearCachedLocally("fs");
    expect(h.store.cached("fs")?.entries).toHaveLength(0);
    await h.store.stop();
  });
});

test("the error that ended an attempt is kept until the next connect", async () => {
  const h = harness();
  h.store.start();
  await h.tick();
  const boom = new Error("refused");
  h.streams[0]?.fail(boom);
  await h.tick();
  expect(h.store.lastError()).toBe(boom);
  await h.wake();
  h.streams[1]?.push(ready(1n));
  await h.tick();
  expect(h.store.lastError()).toBeUndefined();
  await h.store.stop();
});
