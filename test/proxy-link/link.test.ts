// The proxy's ManagerLink client (services/proxy/link) against a real manager: registration,
// snapshots, events to dashboard subscribers, heartbeats, silence, re-attach after a manager
// restart or when the manager appears late, duplicate names, headless mode.
import { afterEach, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { EventType } from "../../lib/gen/mcpacp/common/v1/event_pb.ts";
import { Severity } from "../../lib/gen/mcpacp/common/v1/severity_pb.ts";
import type { ManagerHandle } from "../../services/manager/index.ts";
import { collect } from "../manager/helpers/link-harness.ts";
import { FAST, ManagerHome, nextRun, startManager, startTestLink, until, type TestLink } from "./support.ts";

let homes: ManagerHome[] = [];
let managers: ManagerHandle[] = [];
let links: TestLink[] = [];

afterEach(async () => {
  for (const link of links.splice(0)) await link.handle.close();
  for (const manager of managers.splice(0)) await manager.stop("test cleanup");
  for (const home of homes.splice(0)) home.cleanup();
});

function newHome(): ManagerHome {
  const m = new ManagerHome();
  homes.push(m);
  return m;
}

async function manager(m: ManagerHome, options: Parameters<typeof startManager>[1] = {}): Promise<ManagerHandle> {
  const handle = await startManager(m, options);
  managers.push(handle);
  return handle;
}

function link(...args: Parameters<typeof startTestLink>): TestLink {
  const started = startTestLink(...args);
  links.push(started);
  return started;
}

describe("attach", () => {
  test("registers, sends a snapshot, and its events reach dashboard subscribers tagged with proxy_name and proxy_id", async () => {
    const m = newHome();
    const handle = await manager(m);
    const feed = collect(handle.core.hub);
    const fs = link(m, "fs");

    await until(() => fs.handle.connected, "the link to attach");
    const entry = handle.core.registry.get("fs");
    expect(entry?.instanceId).toBe(fs.register.instanceId ?? "");
    expect(entry?.pid).toBe(process.pid);

    const registered = await feed.waitFor((e) => e.type === EventType.PROXY_REGISTERED, "proxy_registered");
    expect(registered.proxyName).toBe("fs");
    const snapshot = await feed.waitFor((e) => e.type === EventType.SNAPSHOT && e.proxyName === "fs", "the proxy's snapshot");
    expect(snapshot.proxyId).toBe(fs.register.proxyId ?? "");
    expect(snapshot.payload.case === "snapshot" && snapshot.payload.value.clientId).toBe("test-client");
    await until(() => handle.core.registry.get("fs")?.state.hasSnapshot === true, "the cached snapshot");

    fs.handle.publish({
      type: EventType.POLICY_RELOADED,
      severity: Severity.SUCCESS,
      message: "policy reloaded",
      payload: { case: "policyReloaded", value: { oldRulesCount: 1, newRulesCount: 2, policyVersion: "v2" } },
    });
    const reloaded = await feed.waitFor((e) => e.type === EventType.POLICY_RELOADED, "the published event");
    expect(reloaded.proxyName).toBe("fs");
    expect(reloaded.proxyId).toBe(fs.register.proxyId ?? "");
    expect(reloaded.instanceId).toBe(fs.register.instanceId ?? "");
    expect(reloaded.payload.case === "policyReloaded" && reloaded.payload.value.policyVersion).toBe("v2");
    feed.sub.close();
  });

  test("answers heartbeats, so a manager that drops silent proxies keeps it", async () => {
    const m = newHome();
    const handle = await manager(m, { heartbeatMs: 40, pongTimeoutMs: 300 });
    const fs = link(m, "fs");
    await until(() => fs.handle.connected, "the link to attach");
    const attachmentId = handle.core.registry.get("fs")?.attachmentId;
    await Bun.sleep(1000);
    expect(handle.core.registry.get("fs")?.attachmentId).toBe(attachmentId as string);
    expect(fs.changes.filter((c) => !c.connected)).toEqual([]);
  });

  test("ui_status reaches the proxy when a dashboard subscribes and unsubscribes", async () => {
    const m = newHome();
    const handle = await manager(m);
    const fs = link(m, "fs");
    await until(() => fs.handle.connected, "the link to attach");
    await until(() => fs.uiStatuses.length > 0, "the first ui_status");
    expect(fs.uiStatuses.at(-1)?.browserConnected).toBe(false);
    const sub = handle.core.hub.subscribe();
    await until(() => fs.uiStatuses.at(-1)?.browserConnected === true, "browser_connected=true");
    expect(fs.uiStatuses.at(-1)?.subscriberCount).toBe(1);
    sub.close();
    await until(() => fs.uiStatuses.at(-1)?.browserConnected === false, "browser_connected=false");
  });

  test("answers a snapshot request with a fresh snapshot", async () => {
    const m = newHome();
    const handle = await manager(m);
    const fs = link(m, "fs");
    await until(() => fs.handle.connected && fs.snapshotsTaken === 1, "the first snapshot");
    expect(handle.core.link.requestSnapshot("fs", "test")).toBe(true);
    await until(() => fs.snapshotsTaken === 2, "the requested snapshot");
  });

  test("a refused registration is logged and retried, never taken for an attachment", async () => {
    const m = newHome();
    await manager(m);
    const bad = link(m, "fs", { register: { proxyName: "fs", proxyId: "not-an-id", instanceId: "x", pid: process.pid, controlSocket: "/tmp/x.sock" } });
    await until(() => bad.logger.entries.filter((e) => e.message.includes("refused")).length >= 2, "two refused attempts");
    expect(bad.handle.connected).toBe(false);
    expect(bad.changes).toEqual([]);
    expect(bad.logger.entries.find((e) => e.message.includes("refused"))?.message).toContain("proxy_id");
  });
});

describe("liveness and reconnects", () => {
  test("45 s of silence (shortened here) counts as lost: HITL hears browser_connected=false and the link re-attaches", async () => {
    const m = newHome();
    const handle = await manager(m, { heartbeatMs: 60_000 });
    const fs = link(m, "fs", { timing: { ...FAST, silenceMs: 300 } });
    await until(() => fs.handle.connected, "the link to attach");
    const first = handle.core.registry.get("fs")?.attachmentId;
    await until(() => fs.changes.some((c) => !c.connected), "the link to be declared lost");
    const lost = fs.changes.find((c) => !c.connected);
    expect(lost?.connected === false && lost.reason).toContain("nothing heard from the manager");
    expect(fs.uiStatuses.at(-1)?.browserConnected).toBe(false);
    await until(() => {
      const now = handle.core.registry.get("fs")?.attachmentId;
      return now !== undefined && now !== first;
    }, "a new attachment");
  });

  test("after a manager restart the proxy re-attaches and sends a fresh snapshot; events while detached are dropped", async () => {
    const m = newHome();
    const first = await manager(m);
    const fs = link(m, "fs");
    await until(() => fs.handle.connected, "the link to attach");
    expect(fs.snapshotsTaken).toBe(1);

    await first.stop("restart");
    managers = managers.filter((h) => h !== first);
    await until(() => !fs.handle.connected, "the link to notice the manager left");
    fs.handle.publish({ type: EventType.POLICY_RELOADED, payload: { case: "policyReloaded", value: { policyVersion: "lost" } } });

    const second = await manager(m);
    const feed = collect(second.core.hub);
    await until(() => fs.handle.connected && second.core.registry.get("fs") !== undefined, "the re-attachment");
    await until(() => fs.snapshotsTaken === 2, "a snapshot on the new attachment");
    await feed.waitFor((e) => e.type === EventType.SNAPSHOT && e.proxyName === "fs" && e.payload.case === "snapshot" && e.payload.value.clientId === "test-client", "the new snapshot");
    expect(feed.events.some((e) => e.type === EventType.POLICY_RELOADED)).toBe(false);
    feed.sub.close();
  });

  test("a proxy started before any manager attaches once one appears", async () => {
    const m = newHome();
    const fs = link(m, "fs");
    await Bun.sleep(300);
    expect(fs.handle.connected).toBe(false);
    expect(fs.logger.entries.some((e) => e.message.includes("no manager answers"))).toBe(true);
    const handle = await manager(m);
    await until(() => fs.handle.connected && handle.core.registry.get("fs") !== undefined, "the late attachment", 5000);
  });

  test("a second run under the same name replaces the first; the old attachment's end leaves the new entry", async () => {
    const m = newHome();
    const handle = await manager(m);
    const old = link(m, "fs", { timing: { ...FAST, backoffMaxMs: 60_000 } });
    await until(() => old.handle.connected, "the first run to attach");
    const replacement = link(m, "fs", { register: nextRun(old.register) });
    await until(() => replacement.handle.connected, "the second run to attach");
    await until(() => !old.handle.connected, "the first run to be replaced");
    expect(handle.core.registry.get("fs")?.instanceId).toBe(replacement.register.instanceId ?? "");
    expect(old.logger.entries.some((e) => e.level === "warn" && e.message.includes("replaced"))).toBe(true);
    // The replaced run waits the longest backoff before trying again; the new entry stays.
    await Bun.sleep(300);
    expect(handle.core.registry.get("fs")?.instanceId).toBe(replacement.register.instanceId ?? "");
    expect(handle.core.registry.size).toBe(1);
  });

  test("close() detaches cleanly: the manager sees the proxy leave and no retry follows", async () => {
    const m = newHome();
    const handle = await manager(m);
    const feed = collect(handle.core.hub);
    const fs = link(m, "fs");
    await until(() => fs.handle.connected, "the link to attach");
    await fs.handle.close();
    expect(fs.handle.connected).toBe(false);
    await feed.waitFor((e) => e.type === EventType.PROXY_DISCONNECTED, "proxy_disconnected");
    expect(handle.core.registry.size).toBe(0);
    await Bun.sleep(300);
    expect(handle.core.registry.size).toBe(0);
    feed.sub.close();
  });
});

describe("auto-start and headless", () => {
  test("auto-start spawns the manager when none answers, then attaches", async () => {
    const m = newHome();
    const fs = link(m, "fs", { autoStart: true, autoStartOptions: { env: m.env() } });
    const health = await m.waitHealthy(15_000);
    try {
      await until(() => fs.handle.connected, "the link to attach to the spawned manager", 10_000);
      expect(health.pid).not.toBe(process.pid);
      expect(fs.logger.entries.some((e) => e.message.includes(`manager started (pid ${health.pid})`))).toBe(true);
      await fs.handle.close();
    } finally {
      process.kill(health.pid, "SIGTERM");
    }
    await until(() => !existsSync(m.socketPath), "the spawned manager to stop", 10_000);
  });

  test("headless: no manager is started and no attach is tried", async () => {
    const m = newHome();
    const fs = link(m, "fs", { headless: true, autoStart: true, autoStartOptions: { env: m.env() } });
    await Bun.sleep(500);
    expect(fs.handle.connected).toBe(false);
    expect(existsSync(m.socketPath)).toBe(false);
    expect(existsSync(m.paths.runtimeDir) && existsSync(`${m.paths.runtimeDir}/manager.lock`)).toBe(false);
    fs.handle.publish({ type: EventType.POLICY_RELOADED });
  });
});
