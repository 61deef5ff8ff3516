// Replacement of a duplicate name, two-way heartbeats, and shutdown of the link server.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { EventType } from "../../lib/gen/mcpacp/common/v1/event_pb.ts";
import { RpcCode } from "../../lib/rpc/index.ts";
import { FakeProxy, endOf, registration, until } from "./helpers/fake-proxy.ts";
import { collect, startLinkHarness, type LinkHarness } from "./helpers/link-harness.ts";

let h: LinkHarness;
const proxies: FakeProxy[] = [];
function proxy(options?: { autoPong?: boolean }): FakeProxy {
  const p = new FakeProxy(h.socketPath, options);
  proxies.push(p);
  return p;
}

beforeAll(async () => {
  h = await startLinkHarness({ heartbeatMs: 50, pongTimeoutMs: 1000 });
});

afterAll(async () => {
  for (const p of proxies) p.close();
  await h.close();
});

describe("duplicate names", () => {
  test("a second attachment of a name replaces the first; the old stream's end leaves the new entry", async () => {
    const watcher = collect(h.hub);
    const old = proxy();
    const fresh = proxy();
    const first = registration("fs");
    await old.register(first);
    await old.waitFor((f) => f.frame.case === "registered", "registered (old)");
    const second = registration("fs", { proxyId: first.proxyId as string });
    await fresh.register(second);
    await fresh.waitFor((f) => f.frame.case === "registered", "registered (new)");

    const oldEnd = await endOf(old);
    expect(oldEnd?.code).toBe(RpcCode.ALREADY_EXISTS);
    const entry = h.registry.get("fs");
    const freshRegistered = fresh.received[0]?.frame;
    expect(freshRegistered?.case === "registered" && entry?.attachmentId === freshRegistered.value.attachmentId).toBe(true);
    expect(entry?.instanceId).toBe(second.instanceId as string);
    expect(h.log.entries.some((e) => e.event === "proxy_replaced" && e.fields?.old_instance_id === first.instanceId)).toBe(true);

    const replacedEvent = await watcher.waitFor(
      (e) => e.type === EventType.PROXY_REGISTERED && e.payload.case === "proxyRegistered" && e.payload.value.replaced,
      "proxy_registered{replaced}",
    );
    expect(replacedEvent.instanceId).toBe(second.instanceId as string);
    // The replaced attachment ended, yet nobody announced the proxy as gone.
    expect(watcher.events.some((e) => e.type === EventType.PROXY_DISCONNECTED)).toBe(false);

    // The new one still works and its own end removes the entry.
    await fresh.send({ case: "snapshot", value: { clientId: "after-replace" } });
    await until(() => h.registry.get("fs")?.state.view().clientId === "after-replace", "new attachment's snapshot cached");
    fresh.end();
    expect(await endOf(fresh)).toBeNull();
    await watcher.waitFor((e) => e.type === EventType.PROXY_DISCONNECTED && e.instanceId === second.instanceId, "proxy_disconnected");
    expect(h.registry.get("fs")).toBeUndefined();
    watcher.sub.close();
  });
});

describe("heartbeats", () => {
  test("a proxy that answers heartbeats stays attached", async () => {
    const p = proxy({ autoPong: true });
    await p.register(registration("pinger"));
    // Well past the pong timeout, measured in heartbeats rather than wall time.
    await until(() => p.received.filter((f) => f.frame.case === "heartbeat").length >= 30, "30 heartbeats");
    expect(h.registry.get("pinger")).toBeDefined();
    const ids = p.received.flatMap((f) => (f.frame.case === "heartbeat" ? [f.frame.value.id] : []));
    expect(ids.slice(0, 3)).toEqual([1n, 2n, 3n]);
    p.end();
    await endOf(p);
  });

  test("a proxy that stops answering is dropped with DEADLINE_EXCEEDED and announced as gone", async () => {
    const watcher = collect(h.hub);
    const p = proxy({ autoPong: false });
    const reg = registration("mute");
    await p.register(reg);
    const error = await endOf(p);
    expect(error?.code).toBe(RpcCode.DEADLINE_EXCEEDED);
    expect(p.cases()).toContain("heartbeat");
    expect(h.registry.get("mute")).toBeUndefined();
    await watcher.waitFor((e) => e.type === EventType.PROXY_DISCONNECTED && e.instanceId === reg.instanceId, "proxy_disconnected");
    expect(h.log.entries.some((e) => e.event === "proxy_heartbeat_lost" && e.fields?.proxy === "mute")).toBe(true);
    watcher.sub.close();
  });
});

describe("shutdown", () => {
  test("closing the link server ends attachments with UNAVAILABLE and removes the socket", async () => {
    const own = await startLinkHarness();
    const p = new FakeProxy(own.socketPath);
    try {
      await p.register(registration("leaving"));
      await p.waitFor((f) => f.frame.case === "registered", "registered");
      const socketPath = own.socketPath;
      await own.close();
      const error = await endOf(p);
      expect(error?.code).toBe(RpcCode.UNAVAILABLE);
      expect(existsSync(socketPath)).toBe(false);
    } finally {
      p.close();
    }
  });
});
