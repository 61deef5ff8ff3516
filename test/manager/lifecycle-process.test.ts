// The manager as a real process: lifetime lock, PID file, stale-file cleanup, SIGTERM, idle exit,
// auto-start races and `stop`.
import { afterEach, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { managerConfigPath } from "../../lib/paths/index.ts";
import { RpcCode } from "../../lib/rpc/index.ts";
import { ensureManagerRunning } from "../../lib/manager-client/index.ts";
import { ManagerError, ManagerErrorCode, readManagerStatus, runManager, stopManager } from "../../services/manager/index.ts";
import { FakeProxy, endOf, registration } from "./helpers/fake-proxy.ts";
import { FIXTURES, MANAGER_CLI, ManagerHome, exitOf } from "./helpers/manager-home.ts";

let homes: ManagerHome[] = [];
function newHome(): ManagerHome {
  const home = new ManagerHome();
  homes.push(home);
  return home;
}
afterEach(() => {
  for (const home of homes) home.cleanup();
  homes = [];
});

const modeOf = (path: string) => statSync(path).mode & 0o777;

describe("start and refusal", () => {
  test("a running manager holds its lock, socket and PID file (0600); a second one is refused", async () => {
    const m = newHome();
    const first = m.spawnManager();
    const health = await m.waitHealthy();
    expect(health.pid).toBe(first.pid);
    expect(readFileSync(m.pidPath, "utf8").trim()).toBe(String(first.pid));
    expect(modeOf(m.pidPath)).toBe(0o600);
    expect(modeOf(m.lockPath)).toBe(0o600);
    expect(modeOf(m.socketPath)).toBe(0o600);
    expect(modeOf(m.paths.runtimeDir)).toBe(0o700);

    const second = m.spawnManager();
    expect(await exitOf(second)).toBe(1);
    const stderr = await new Response(second.stderr).text();
    expect(stderr).toContain(`already running (pid ${first.pid})`);
    expect(stderr).toContain(ManagerErrorCode.AlreadyRunning);

    const inProcess = await runManager({ paths: m.paths, config: m.config, handleSignals: false }).catch((e: unknown) => e);
    expect(inProcess).toBeInstanceOf(ManagerError);
    expect((inProcess as ManagerError).code).toBe(ManagerErrorCode.AlreadyRunning);
    // The refused starts left the first manager's files alone.
    expect((await m.waitHealthy()).pid).toBe(first.pid);
    expect(readFileSync(m.pidPath, "utf8").trim()).toBe(String(first.pid));
  });

  test("SIGTERM ends proxy streams, then the socket, PID file and lock are gone", async () => {
    const m = newHome();
    const child = m.spawnManager();
    await m.waitHealthy();
    const proxy = new FakeProxy(m.socketPath);
    try {
      await proxy.register(registration("fs"));
      await proxy.waitFor((f) => f.frame.case === "registered", "registered");
      child.kill("SIGTERM");
      expect((await endOf(proxy))?.code).toBe(RpcCode.UNAVAILABLE);
      expect(await exitOf(child, 5000)).toBe(0);
      expect(existsSync(m.socketPath)).toBe(false);
      expect(existsSync(m.pidPath)).toBe(false);
      expect(existsSync(m.lockPath)).toBe(false);
      expect(await new Response(child.stderr).text()).toContain("stopped: SIGTERM");
    } finally {
      proxy.close();
    }
  });

  test("after a crash (SIGKILL) the next manager cleans the stale socket, PID file and lock", async () => {
    const m = newHome();
    const crashed = m.spawnManager();
    await m.waitHealthy();
    crashed.kill("SIGKILL");
    await exitOf(crashed);
    expect(existsSync(m.socketPath) && existsSync(m.pidPath) && existsSync(m.lockPath)).toBe(true);

    const next = m.spawnManager();
    const health = await m.waitHealthy();
    expect(health.pid).toBe(next.pid);
    expect(readFileSync(m.pidPath, "utf8").trim()).toBe(String(next.pid));
    const warnings = readFileSync(m.systemLog, "utf8");
    expect(warnings).toContain('"event":"stale_lock_removed"');
    expect(warnings).toContain(`"pid":${crashed.pid}`);
  });

  test("idle with nothing attached, the manager exits by itself and cleans up", async () => {
    const m = newHome();
    const child = m.spawnManager({ idleCheckMs: 50, idleGraceMs: 0, idleTimeoutMs: 300 });
    expect(await exitOf(child)).toBe(0);
    expect(await new Response(child.stderr).text()).toContain("stopped: idle");
    expect(existsSync(m.socketPath) || existsSync(m.pidPath) || existsSync(m.lockPath)).toBe(false);
  });
});

describe("auto-start", () => {
  test("two proxies racing with no manager: exactly one manager is spawned and both find it", async () => {
    const m = newHome();
    const spawnLog = m.home.path("spawns.log");
    const racers = [0, 1].map(() =>
      Bun.spawn([process.execPath, join(FIXTURES, "auto-start.ts")], {
        env: m.env({ MCP_ACP_TEST_SPAWN_LOG: spawnLog }),
        stdout: "pipe",
        stderr: "pipe",
      }),
    );
    racers.forEach((r) => m.track(r));
    const results = await Promise.all(
      racers.map(async (r) => JSON.parse((await new Response(r.stdout).text()).trim()) as { status: string; pid: number | null }),
    );
    expect(results.map((r) => r.status).sort()).toEqual(["running", "started"]);
    const spawned = readFileSync(spawnLog, "utf8").trim().split("\n");
    expect(spawned).toHaveLength(1);
    expect(results.map((r) => String(r.pid))).toEqual([spawned[0] ?? "", spawned[0] ?? ""]);
    // The spawned manager runs detached; stop it through the normal path.
    expect((await stopManager(m.paths)).pid).toBe(Number(spawned[0]));
  });

  test("a manager that cannot start (no manager.json) is reported as failed without waiting the full time", async () => {
    const m = newHome();
    rmSync(managerConfigPath(m.paths));
    const result = await ensureManagerRunning({ paths: m.paths, cliEntry: MANAGER_CLI, env: m.env(), waitMs: 30_000 });
    expect(result.status).toBe("failed");
    expect(result.status === "failed" && result.reason).toContain("exited (code 1) before answering");
  });

  test("an answering manager is reused, nothing is spawned", async () => {
    const m = newHome();
    const child = m.spawnManager();
    await m.waitHealthy();
    const result = await ensureManagerRunning({ paths: m.paths, cliEntry: "/nonexistent/never-run.ts" });
    expect(result.status === "running" && result.health.pid).toBe(child.pid);
  });
});

describe("stop and status", () => {
  test("stopManager signals the manager found through Health and waits until it is gone", async () => {
    const m = newHome();
    const child = m.spawnManager();
    await m.waitHealthy();
    const status = await readManagerStatus(m.paths);
    expect(status).toMatchObject({ running: true, pid: child.pid });
    expect((await stopManager(m.paths)).pid).toBe(child.pid);
    expect(await exitOf(child)).toBe(0);
    expect((await readManagerStatus(m.paths)).running).toBe(false);
  });

  test("with no manager, stop reports NotRunning and removes a stale PID file", async () => {
    const m = newHome();
    const crashed = m.spawnManager();
    await m.waitHealthy();
    crashed.kill("SIGKILL");
    await exitOf(crashed);
    const error = await stopManager(m.paths).catch((e: unknown) => e);
    expect((error as ManagerError).code).toBe(ManagerErrorCode.NotRunning);
    expect(existsSync(m.pidPath)).toBe(false);
  });
});
