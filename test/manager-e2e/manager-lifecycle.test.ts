// The manager daemon's edges, end to end: a busy port, commands that need a running manager,
// the foreground mode and SIGTERM, the hidden `run` command, and idle shutdown (fixture timers).
import { afterEach, describe, expect, test } from "bun:test";
import type { Server } from "node:net";
import type { Subprocess } from "bun";
import { ManagerService } from "../../lib/gen/mcpacp/api/v1/manager_service_pb.ts";
import { EventService } from "../../lib/gen/mcpacp/api/v1/event_service_pb.ts";
import { EventType } from "../../lib/gen/mcpacp/common/v1/event_pb.ts";
import { apiSocketPath } from "../../lib/paths/index.ts";
import { CLI_ENTRY, initializedHome, type TempHome } from "../helpers/index.ts";
import { DAEMON_FIXTURE, freePort, holdPort, homePaths, managerFiles, socketClient, until } from "./support.ts";

const NO_FILES = { socket: false, apiSocket: false, pidFile: false, lock: false };

let homes: TempHome[] = [];
let children: Subprocess[] = [];
let servers: Server[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
  for (const server of servers.splice(0)) server.close();
  for (const home of homes.splice(0)) home.remove();
});

async function newHome(): Promise<TempHome> {
  const home = await initializedHome();
  homes.push(home);
  process.env.MCP_ACP_HOME = home.dir;
  return home;
}

function spawnIn(home: TempHome, argv: string[], extraEnv: Record<string, string> = {}): Subprocess<"ignore", "pipe", "pipe"> {
  const child = Bun.spawn(argv, { env: home.env(extraEnv), stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  children.push(child);
  return child;
}

async function exitWithin(child: Subprocess, ms: number): Promise<number | "running"> {
  return Promise.race([child.exited, Bun.sleep(ms).then(() => "running" as const)]);
}

describe("start failures leave nothing behind", () => {
  test("a port in use: exit 1 with 'use --port', and no PID file, socket or lock", async () => {
    const home = await newHome();
    const port = await freePort();
    servers.push(await holdPort(port));
    const result = await home.run(["manager", "start", "--port", String(port)]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("exited unexpectedly");
    expect(result.stderr).toContain(`Port ${port} is in use`);
    expect(result.stderr).toContain("--port");
    expect(managerFiles(homePaths(home))).toEqual(NO_FILES);

    const foreground = await home.run(["manager", "start", "--foreground", "--port", String(port)]);
    expect(foreground.exitCode).toBe(1);
    expect(foreground.stderr).toContain(`Error: Port ${port} is in use`);
    expect(managerFiles(homePaths(home))).toEqual(NO_FILES);
  });

  test("not initialized: start says to run init", async () => {
    const home = await newHome();
    const result = await home.run(["manager", "start", "--foreground"], { env: { MCP_ACP_HOME: home.path("not-initialized") } });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("mcp-acp init");
  });

  test("an invalid port is a usage error", async () => {
    const home = await newHome();
    const result = await home.run(["manager", "start", "--port", "80"]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("--port");
  });
});

describe("without a manager", () => {
  test("open fails with a hint, status says not running, stop is a no-op", async () => {
    const home = await newHome();
    const open = await home.run(["manager", "open", "--no-browser"]);
    expect(open.exitCode).toBe(1);
    expect(open.stderr).toContain("The manager is not running.");
    expect(open.stderr).toContain("mcp-acp manager start");
    const status = await home.run(["manager", "status"]);
    expect(status.exitCode).toBe(0);
    expect(status.stdout).toContain("not running");
    const stop = await home.run(["manager", "stop"]);
    expect(stop.exitCode).toBe(0);
    expect(stop.stdout).toContain("not running");
  });
});

describe("foreground and the hidden run command", () => {
  test("help lists start, stop, status and open but not run", async () => {
    const home = await newHome();
    const help = await home.run(["manager", "--help"]);
    expect(help.stdout).toContain("start");
    expect(help.stdout).toContain("open");
    expect(help.stdout).not.toMatch(/^\s*run\s/m);
  });

  test("start --foreground serves until SIGTERM, then removes its files and exits 0", async () => {
    const home = await newHome();
    const port = await freePort();
    const child = spawnIn(home, [process.execPath, CLI_ENTRY, "manager", "start", "--foreground", "--port", String(port)]);
    const paths = homePaths(home);
    await until(() => managerFiles(paths).socket && managerFiles(paths).apiSocket, "the foreground manager to listen");
    const status = await socketClient(ManagerService, apiSocketPath(paths)).getStatus({});
    expect(status.pid).toBe(child.pid);
    expect(status.uiUrl).toBe(`http://127.0.0.1:${port}`);
    child.kill("SIGTERM");
    expect(await exitWithin(child, 10_000)).toBe(0);
    expect(await new Response(child.stdout).text()).toContain("press Ctrl+C to stop");
    expect(managerFiles(paths)).toEqual(NO_FILES);
  });

  test("manager run is a real command (what auto-start spawns)", async () => {
    const home = await newHome();
    const port = await freePort();
    const child = spawnIn(home, [process.execPath, CLI_ENTRY, "manager", "run", "--port", String(port)]);
    const paths = homePaths(home);
    await until(() => managerFiles(paths).socket, "manager run to listen");
    const status = await socketClient(ManagerService, apiSocketPath(paths)).getStatus({});
    expect(status.pid).toBe(child.pid);
    const stop = await home.run(["manager", "stop"]);
    expect(stop.exitCode).toBe(0);
    expect(await exitWithin(child, 10_000)).toBe(0);
  });
});

describe("idle shutdown (fixture with short timers)", () => {
  test("an open subscription keeps the daemon up; status polls do not; without either it exits", async () => {
    const home = await newHome();
    const port = await freePort();
    const paths = homePaths(home);
    const timers = { port, idleGraceMs: 0, idleCheckMs: 50, idleTimeoutMs: 1200 };
    const child = spawnIn(home, [process.execPath, DAEMON_FIXTURE], { MCP_ACP_TEST_DAEMON_OPTIONS: JSON.stringify(timers) });
    await until(() => managerFiles(paths).apiSocket && managerFiles(paths).socket, "the daemon to listen");

    const abort = new AbortController();
    let ready = false;
    const reading = (async () => {
      try {
        for await (const response of socketClient(EventService, apiSocketPath(paths)).subscribe({}, { signal: abort.signal })) {
          if (response.event?.type === EventType.READY) ready = true;
        }
      } catch {
        // aborted below
      }
    })();
    await until(() => ready, "the subscription to open");
    expect(await exitWithin(child, 2500)).toBe("running");
    abort.abort();
    await reading;

    // GetStatus does not count as activity (spec manager.md §14.6): polling it does not keep the daemon up.
    const client = socketClient(ManagerService, apiSocketPath(paths));
    let polls = 0;
    const polling = (async () => {
      while (child.exitCode === null && polls < 200) {
        await client.getStatus({}).then(
          () => polls++,
          () => undefined,
        );
        await Bun.sleep(100);
      }
    })();
    expect(await exitWithin(child, 10_000)).toBe(0);
    await polling;
    expect(polls).toBeGreaterThan(3);
    expect(await new Response(child.stderr).text()).toContain("stopped: idle");
    expect(managerFiles(paths)).toEqual(NO_FILES);
  });
});
