// ManagerLink.Attach on a real socket: registration, order of the first frames, rejection of
// bad or missing registrations, state caching, event forwarding and departures.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { EventType } from "../../lib/gen/mcpacp/common/v1/event_pb.ts";
import { Severity } from "../../lib/gen/mcpacp/common/v1/severity_pb.ts";
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
  h = await startLinkHarness({
    registrationTimeoutMs: 300,
    tokenProvider: () => ({ accessToken: "test-access-token" }),
  });
});

afterAll(async () => {
  for (const p of proxies) p.close();
  await h.close();
});

describe("registration", () => {
  test("a valid register is answered with registered, then ui_status, then token_update", async () => {
    const p = proxy();
    const reg = registration("alpha");
    await p.register(reg);
    await p.waitFor((f) => f.frame.case === "tokenUpdate", "token_update");
    expect(p.cases().slice(0, 3)).toEqual(["registered", "uiStatus", "tokenUpdate"]);
    const registered = p.received[0]?.frame;
    expect(registered?.case).toBe("registered");
    if (registered?.case !== "registered") return;
    expect(registered.value.ok).toBe(true);
    expect(registered.value.attachmentId).toMatch(/^att_[0-9a-f]{16}$/);
    expect(registered.value.managerVersion).toBe("9.9.9-test");
    const token = p.received[2]?.frame;
    expect(token?.case === "tokenUpdate" && token.value.accessToken).toBe("test-access-token");
    const entry = h.registry.get("alpha");
    expect(entry?.attachmentId).toBe(registered.value.attachmentId);
    expect(entry?.instanceId).toBe(reg.instanceId as string);
    p.end();
    expect(await endOf(p)).toBeNull();
    await until(() => h.registry.get("alpha") === undefined, "alpha removed");
  });

  test("a first frame that is not register is refused and the stream closed with INVALID_ARGUMENT", async () => {
    const p = proxy();
    await p.send({ case: "pong", value: { heartbeatId: 1n } });
    const error = await endOf(p);
    expect(error?.code).toBe(RpcCode.INVALID_ARGUMENT);
    const first = p.received[0]?.frame;
    expect(first?.case === "registered" && first.value.ok).toBe(false);
    expect(first?.case === "registered" && first.value.error?.code).toBe("REGISTRATION_EXPECTED");
    expect(h.registry.size).toBe(0);
  });

  test("an incomplete or malformed register is refused with one violation per field", async () => {
    const p = proxy();
    await p.register({ proxyName: "manager", proxyId: "px_nothex:x", instanceId: "px_12345678:x", pid: 0, controlSocket: "relative.sock" });
    const error = await endOf(p);
    expect(error?.code).toBe(RpcCode.INVALID_ARGUMENT);
    const first = p.received[0]?.frame;
    if (first?.case !== "registered") throw new Error("expected registered{ok:false}");
    expect(first.value.ok).toBe(false);
    expect(first.value.error?.code).toBe("INVALID_REGISTRATION");
    expect(first.value.error?.violations.map((v) => v.field).sort()).toEqual([
      "register.control_socket",
      "register.instance_id",
      "register.pid",
      "register.proxy_id",
      "register.proxy_name",
    ]);
    expect(h.log.entries.some((e) => e.event === "registration_rejected")).toBe(true);
    expect(h.registry.size).toBe(0);
  });

  test("an instance id that is the proxy_id (the original's bug) is refused", async () => {
    const p = proxy();
    const reg = registration("beta");
    await p.register({ ...reg, instanceId: reg.proxyId as string });
    expect((await endOf(p))?.code).toBe(RpcCode.INVALID_ARGUMENT);
  });

  test("a stream that stays silent is closed after the registration timeout", async () => {
    const p = proxy();
    const error = await endOf(p);
    expect(error?.code).toBe(RpcCode.DEADLINE_EXCEEDED);
    const first = p.received[0]?.frame;
    expect(first?.case === "registered" && first.value.error?.code).toBe("REGISTRATION_TIMEOUT");
    expect(h.log.entries.some((e) => e.event === "registration_timeout")).toBe(true);
  });
});

describe("state and events", () => {
  test("the proxy's snapshot is cached and republished; a later subscriber gets it from the cache", async () => {
    const watcher = collect(h.hub);
    const p = proxy();
    const reg = registration("gamma");
    await p.register(reg);
    await p.waitFor((f) => f.frame.case === "registered", "registered");
    await p.send({
      case: "snapshot",
      value: {
        pending: [{ id: "0123456789abcdef", toolName: "write_file", proxyId: reg.proxyId as string }],
        stats: { requestsTotal: 7n },
        clientId: "claude-ai",
      },
    });
    await watcher.waitFor((e) => e.type === EventType.SNAPSHOT && e.proxyName === "gamma", "gamma snapshot");
    const registeredAt = watcher.events.findIndex((e) => e.type === EventType.PROXY_REGISTERED && e.proxyName === "gamma");
    const snapshotAt = watcher.events.findIndex((e) => e.type === EventType.SNAPSHOT && e.proxyName === "gamma");
    expect(registeredAt).toBeGreaterThanOrEqual(0);
    expect(snapshotAt).toBeGreaterThan(registeredAt);

    const late = collect(h.hub);
    const opening = await late.waitFor((e) => e.type === EventType.SNAPSHOT && e.proxyName === "gamma", "cached snapshot");
    expect(opening.payload.case).toBe("snapshot");
    if (opening.payload.case !== "snapshot") return;
    expect(opening.payload.value.pending.map((a) => a.id)).toEqual(["0123456789abcdef"]);
    expect(opening.payload.value.stats?.requestsTotal).toBe(7n);
    expect(opening.payload.value.clientId).toBe("claude-ai");
    expect(opening.instanceId).toBe(reg.instanceId as string);
    watcher.sub.close();
    late.sub.close();
    p.end();
    await endOf(p);
  });

  test("events are tagged with the proxy, get increasing seqs, reach subscribers and update the cache", async () => {
    const watcher = collect(h.hub);
    const p = proxy();
    const reg = registration("delta");
    await p.register(reg);
    await p.waitFor((f) => f.frame.case === "registered", "registered");
    await p.send({ case: "snapshot", value: {} });
    await p.send({
      case: "event",
      value: {
        type: EventType.PENDING_CREATED,
        severity: Severity.INFO,
        message: "approval needed",
        payload: { case: "pendingCreated", value: { approval: { id: "aaaaaaaaaaaaaaaa", toolName: "rm" } } },
      },
    });
    const created = await watcher.waitFor((e) => e.type === EventType.PENDING_CREATED, "pending_created");
    expect(created.proxyName).toBe("delta");
    expect(created.proxyId).toBe(reg.proxyId as string);
    expect(created.instanceId).toBe(reg.instanceId as string);
    expect(created.message).toBe("approval needed");
    expect(h.registry.get("delta")?.state.view().pending.map((a) => a.id)).toEqual(["aaaaaaaaaaaaaaaa"]);

    await p.send({
      case: "event",
      value: {
        type: EventType.PENDING_RESOLVED,
        severity: Severity.SUCCESS,
        payload: { case: "pendingResolved", value: { resolution: { approvalId: "aaaaaaaaaaaaaaaa" } } },
      },
    });
    const resolved = await watcher.waitFor((e) => e.type === EventType.PENDING_RESOLVED, "pending_resolved");
    expect(resolved.seq).toBeGreaterThan(created.seq);
    expect(h.registry.get("delta")?.state.view().pending).toEqual([]);
    const live = watcher.events.filter((e) => e.type !== EventType.READY && e.seq > 0n);
    const seqs = live.map((e) => e.seq);
    expect([...seqs].sort((a, b) => (a < b ? -1 : 1))).toEqual(seqs);
    watcher.sub.close();
    p.end();
    await endOf(p);
  });

  test("an event whose payload does not match its type is dropped and logged", async () => {
    const watcher = collect(h.hub);
    const p = proxy();
    await p.register(registration("epsilon"));
    await p.waitFor((f) => f.frame.case === "registered", "registered");
    await p.send({ case: "event", value: { type: EventType.CACHE_CLEARED, payload: { case: "newLogEntries", value: { count: 1 } } } });
    await p.send({ case: "event", value: { type: EventType.NEW_LOG_ENTRIES, payload: { case: "newLogEntries", value: { count: 2 } } } });
    await watcher.waitFor((e) => e.type === EventType.NEW_LOG_ENTRIES, "new_log_entries");
    expect(watcher.events.some((e) => e.type === EventType.CACHE_CLEARED)).toBe(false);
    expect(h.log.entries.some((e) => e.event === "link_event_invalid")).toBe(true);
    watcher.sub.close();
    p.end();
    await endOf(p);
  });

  test("an incident event is followed by incidents_updated for that proxy", async () => {
    const watcher = collect(h.hub);
    const p = proxy();
    await p.register(registration("zeta"));
    await p.waitFor((f) => f.frame.case === "registered", "registered");
    await p.send({
      case: "event",
      value: {
        type: EventType.CRITICAL_SHUTDOWN,
        severity: Severity.CRITICAL,
        payload: { case: "criticalShutdown", value: { reason: "audit log tampered", failureType: "audit_failure", exitCode: 10 } },
      },
    });
    const update = await watcher.waitFor((e) => e.type === EventType.INCIDENTS_UPDATED, "incidents_updated");
    const shutdown = watcher.events.find((e) => e.type === EventType.CRITICAL_SHUTDOWN);
    expect(shutdown?.proxyName).toBe("zeta");
    expect(update.seq).toBe((shutdown?.seq ?? 0n) + 1n);
    expect(update.payload.case === "incidentsUpdated" && update.payload.value.triggerEvent).toBe(EventType.CRITICAL_SHUTDOWN);
    expect(update.proxyName).toBe("zeta");
    watcher.sub.close();
    p.end();
    await endOf(p);
  });

  test("a gap in frame seqs is logged and answered with a snapshot_request", async () => {
    const p = proxy();
    await p.register(registration("eta"));
    await p.waitFor((f) => f.frame.case === "registered", "registered");
    await p.send({ case: "snapshot", value: {} }, 5n);
    const request = await p.waitFor((f) => f.frame.case === "snapshotRequest", "snapshot_request");
    expect(request.frame.case === "snapshotRequest" && request.frame.value.reason).toBe("seq_gap");
    expect(h.log.entries.some((e) => e.event === "link_seq_gap" && e.fields?.expected === "2" && e.fields?.got === "5")).toBe(true);
    p.end();
    await endOf(p);
  });

  test("requestSnapshot sends snapshot_request to that proxy only", async () => {
    const a = proxy();
    const b = proxy();
    await a.register(registration("theta"));
    await b.register(registration("iota"));
    await a.waitFor((f) => f.frame.case === "registered", "registered");
    await b.waitFor((f) => f.frame.case === "registered", "registered");
    expect(h.link.requestSnapshot("theta", "dashboard_resync")).toBe(true);
    expect(h.link.requestSnapshot("nobody", "x")).toBe(false);
    const request = await a.waitFor((f) => f.frame.case === "snapshotRequest", "snapshot_request");
    expect(request.frame.case === "snapshotRequest" && request.frame.value.reason).toBe("dashboard_resync");
    expect(b.cases()).not.toContain("snapshotRequest");
    a.end();
    b.end();
    await endOf(a);
    await endOf(b);
  });
});

describe("ui status and health", () => {
  test("every subscribe and unsubscribe pushes ui_status to attached proxies", async () => {
    const p = proxy();
    await p.register(registration("kappa"));
    await p.waitFor((f) => f.frame.case === "uiStatus", "first ui_status");
    const first = p.received.find((f) => f.frame.case === "uiStatus")?.frame;
    expect(first?.case === "uiStatus" && first.value.browserConnected).toBe(false);

    const watcher = collect(h.hub);
    await p.waitFor((f) => f.frame.case === "uiStatus" && f.frame.value.browserConnected, "browser_connected=true");
    const on = p.received.find((f) => f.frame.case === "uiStatus" && f.frame.value.browserConnected)?.frame;
    expect(on?.case === "uiStatus" && on.value.subscriberCount).toBe(1);
    watcher.sub.close();
    await until(() => p.received.filter((f) => f.frame.case === "uiStatus").length >= 3, "ui_status after unsubscribe");
    const last = p.received.filter((f) => f.frame.case === "uiStatus").at(-1)?.frame;
    expect(last?.case === "uiStatus" && last.value).toMatchObject({ browserConnected: false, subscriberCount: 0 });
    p.end();
    await endOf(p);
  });

  test("Health reports pid, version, attached proxies and subscribers", async () => {
    const { createGrpcClient } = await import("../../lib/rpc/index.ts");
    const { ManagerLink } = await import("../../lib/gen/mcpacp/link/v1/link_pb.ts");
    const p = proxy();
    await p.register(registration("lambda"));
    await p.waitFor((f) => f.frame.case === "registered", "registered");
    const watcher = collect(h.hub);
    const client = createGrpcClient(ManagerLink, h.socketPath);
    try {
      const health = await client.health({});
      expect(health.pid).toBe(process.pid);
      expect(health.version).toBe("9.9.9-test");
      expect(health.attachedProxies).toBe(1);
      expect(health.subscriberCount).toBe(1);
    } finally {
      client.close();
      watcher.sub.close();
      p.end();
      await endOf(p);
    }
  });
});

describe("departures", () => {
  test("a clean end removes the entry and broadcasts proxy_disconnected without a reason", async () => {
    const watcher = collect(h.hub);
    const p = proxy();
    const reg = registration("mu");
    await p.register(reg);
    await p.waitFor((f) => f.frame.case === "registered", "registered");
    p.end();
    expect(await endOf(p)).toBeNull();
    const gone = await watcher.waitFor((e) => e.type === EventType.PROXY_DISCONNECTED && e.proxyName === "mu", "proxy_disconnected");
    expect(gone.payload.case === "proxyDisconnected" && gone.payload.value.instanceId).toBe(reg.instanceId as string);
    expect(gone.payload.case === "proxyDisconnected" && gone.payload.value.reason).toBeUndefined();
    expect(h.registry.get("mu")).toBeUndefined();
    watcher.sub.close();
  });

  test("a shutdown record under 30 s old becomes the disconnect reason; an older one does not", async () => {
    const write = (name: string, ageMs: number) => {
      const dir = h.proxyLogDir(name);
      mkdirSync(dir, { recursive: true });
      const record = {
        time: new Date(Date.now() - ageMs).toISOString(),
        event: "security_shutdown",
        failure_type: "audit_failure",
        reason: "audit chain broken",
        exit_code: 10,
        context: {},
      };
      writeFileSync(join(dir, "shutdowns.jsonl"), `{"time":"2020-01-01T00:00:00.000Z","failure_type":"old","reason":"x","exit_code":1}\n${JSON.stringify(record)}\n`);
    };
    const watcher = collect(h.hub);
    write("nu", 1000);
    write("xi", 60_000);
    const fresh = proxy();
    const old = proxy();
    await fresh.register(registration("nu"));
    await old.register(registration("xi"));
    await fresh.waitFor((f) => f.frame.case === "registered", "registered");
    await old.waitFor((f) => f.frame.case === "registered", "registered");
    fresh.cancel();
    old.end();
    const nu = await watcher.waitFor((e) => e.type === EventType.PROXY_DISCONNECTED && e.proxyName === "nu", "nu disconnected");
    const xi = await watcher.waitFor((e) => e.type === EventType.PROXY_DISCONNECTED && e.proxyName === "xi", "xi disconnected");
    if (nu.payload.case !== "proxyDisconnected" || xi.payload.case !== "proxyDisconnected") throw new Error("wrong payloads");
    expect(nu.payload.value.reason).toMatchObject({ failureType: "audit_failure", reason: "audit chain broken", exitCode: 10 });
    expect(nu.severity).toBe(Severity.CRITICAL);
    expect(xi.payload.value.reason).toBeUndefined();
    expect(h.log.entries.some((e) => e.event === "proxy_crash_detected" && e.fields?.proxy === "nu")).toBe(true);
    watcher.sub.close();
  });
});
