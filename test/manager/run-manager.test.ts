// runManager in-process: what keeps it from idling out, the shutdown order seen by an extension,
// failed starts leaving nothing behind, and stale locks of recycled PIDs.
import { afterEach, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { probeManager } from "../../lib/manager-client/index.ts";
import { ManagerError, ManagerErrorCode, runManager, type ManagerHandle, type RunManagerOptions } from "../../services/manager/index.ts";
import { FakeProxy, endOf, registration } from "./helpers/fake-proxy.ts";
import { ManagerHome } from "./helpers/manager-home.ts";

let homes: ManagerHome[] = [];
const handles: ManagerHandle[] = [];
afterEach(async () => {
  for (const handle of handles.splice(0)) await handle.stop("test cleanup");
  for (const home of homes) home.cleanup();
  homes = [];
});

const IDLE = { idleCheckMs: 20, idleGraceMs: 0, idleTimeoutMs: 200 } as const;

async function start(m: ManagerHome, options: Partial<RunManagerOptions> = {}): Promise<ManagerHandle> {
  const handle = await runManager({ paths: m.paths, config: m.config, handleSignals: false, ...options });
  handles.push(handle);
  return handle;
}

function newHome(): ManagerHome {
  const m = new ManagerHome();
  homes.push(m);
  return m;
}

/** Whether `stopped` settles within `ms` (used to show that something keeps the manager up). */
async function stopsWithin(handle: ManagerHandle, ms: number): Promise<boolean> {
  return Promise.race([handle.stopped.then(() => true), Bun.sleep(ms).then(() => false)]);
}

describe("idle shutdown: each condition alone keeps the manager up", () => {
  test("an attached proxy", async () => {
    const m = newHome();
    const handle = await start(m, IDLE);
    const proxy = new FakeProxy(m.socketPath);
    try {
      await proxy.register(registration("fs"));
      await proxy.waitFor((f) => f.frame.case === "registered", "registered");
      expect(await stopsWithin(handle, 1000)).toBe(false);
      proxy.end();
      await endOf(proxy);
      expect(await handle.stopped).toBe("idle");
    } finally {
      proxy.close();
    }
  });

  test("an open dashboard subscription", async () => {
    const m = newHome();
    const handle = await start(m, IDLE);
    const sub = handle.core.hub.subscribe();
    expect(await stopsWithin(handle, 1000)).toBe(false);
    sub.close();
    expect(await handle.stopped).toBe("idle");
  });

  test("recent API activity reported by the gateway", async () => {
    const m = newHome();
    // A longer timeout than the others: the ticker must beat the idle check even on a busy machine.
    const handle = await start(m, { ...IDLE, idleTimeoutMs: 600 });
    const ticker = setInterval(() => handle.core.activity(), 40);
    try {
      expect(await stopsWithin(handle, 1500)).toBe(false);
    } finally {
      clearInterval(ticker);
    }
    expect(await handle.stopped).toBe("idle");
  });
});

describe("start and stop", () => {
  test("extensions see the shutdown order: stop accepting, subscriber streams ended, then close while the socket is still there", async () => {
    const m = newHome();
    const steps: string[] = [];
    const handle = await start(m, {
      extensions: [
        {
          name: "recorder",
          async start(core) {
            core.setEndpoints({ uiUrl: `http://127.0.0.1:${core.uiPort}` });
            return {
              stopAccepting: () => void steps.push(`stopAccepting (subscribers ${core.hub.subscriberCount})`),
              close: async () =>
                void steps.push(`close (subscribers ${core.hub.subscriberCount}, attached ${core.registry.size}, socket ${existsSync(core.socketPath) ? "present" : "gone"})`),
            };
          },
        },
      ],
    });
    const health = await probeManager(m.socketPath);
    expect(health?.uiUrl).toBe(`http://127.0.0.1:${m.config.ui_port}`);
    const sub = handle.core.hub.subscribe();
    const proxy = new FakeProxy(m.socketPath);
    await proxy.register(registration("fs"));
    await proxy.waitFor((f) => f.frame.case === "registered", "registered");
    const reading = (async () => {
      let count = 0;
      for await (const _event of sub) count++;
      return count;
    })();
    await handle.stop("test");
    expect(await reading).toBeGreaterThan(0); // the stream ended normally after its queued events
    expect(await endOf(proxy)).not.toBeNull();
    proxy.close();
    expect(steps).toEqual(["stopAccepting (subscribers 1)", "close (subscribers 0, attached 0, socket present)"]);
    expect(existsSync(m.socketPath) || existsSync(m.pidPath) || existsSync(m.lockPath)).toBe(false);
  });

  test("an extension that cannot start aborts the start and leaves nothing behind", async () => {
    const m = newHome();
    const error = await runManager({
      paths: m.paths,
      config: m.config,
      handleSignals: false,
      extensions: [
        {
          name: "gateway",
          start: () => Promise.reject(new Error("listen EADDRINUSE: address already in use 127.0.0.1:8765")),
        },
      ],
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ManagerError);
    expect((error as ManagerError).code).toBe(ManagerErrorCode.StartFailed);
    expect((error as ManagerError).message).toContain("EADDRINUSE");
    expect((error as ManagerError).hint).toContain("--port");
    expect(existsSync(m.socketPath) || existsSync(m.pidPath) || existsSync(m.lockPath)).toBe(false);
  });

  test("an out-of-range port is refused before anything starts", async () => {
    const m = newHome();
    const error = await runManager({ paths: m.paths, config: m.config, handleSignals: false, port: 80 }).catch((e: unknown) => e);
    expect((error as ManagerError).code).toBe(ManagerErrorCode.InvalidPort);
    expect(existsSync(m.lockPath)).toBe(false);
  });

  test("a lock naming a live PID that does not answer Health (recycled PID) is taken over", async () => {
    const m = newHome();
    mkdirSync(m.paths.runtimeDir, { recursive: true, mode: 0o700 });
    // process.pid is alive but serves no manager socket, and the lock is past the start-up grace.
    writeFileSync(m.lockPath, JSON.stringify({ pid: process.pid, nonce: "recycled", createdAt: Date.now() - 60_000 }));
    const handle = await start(m);
    expect((await probeManager(m.socketPath))?.pid).toBe(process.pid);
    await handle.stop("test");
    expect(existsSync(m.lockPath)).toBe(false);
  });
});
