// `mcp-acp manager start|status|open|stop` end to end: the real CLI starts the real daemon in the
// background; a proxy link attaches from this process; the API is called over TCP (with the cookie
// from a login code exchange) and over api.sock (no token), and listed with buf curl.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Code, ConnectError } from "@connectrpc/connect";
import { EventService, type Event } from "../../lib/gen/mcpacp/api/v1/event_service_pb.ts";
import { ManagerService } from "../../lib/gen/mcpacp/api/v1/manager_service_pb.ts";
import { ErrorDetailSchema } from "../../lib/gen/mcpacp/common/v1/error_pb.ts";
import { EventType } from "../../lib/gen/mcpacp/common/v1/event_pb.ts";
import type { UiStatus } from "../../lib/gen/mcpacp/link/v1/link_pb.ts";
import { apiSocketPath, type AppPaths } from "../../lib/paths/index.ts";
import { createMemoryLogger } from "../../services/proxy/relay/log.ts";
import { startManagerLink, type ManagerLinkHandle } from "../../services/proxy/link/index.ts";
import { initializedHome, type TempHome } from "../helpers/index.ts";
import { registration } from "../manager/helpers/fake-proxy.ts";
import { BUF, freePort, homePaths, managerFiles, socketClient, tcpClient, until } from "./support.ts";

interface StatusJson {
  manager: { running: boolean; pid: number | null; socket: string; api_socket: string | null; ui_url: string | null };
  proxies: { name: string; proxy_id: string; instance_id: string; pid: number; connected_at: string | null }[] | null;
}

function errorDetailCode(error: unknown): string | undefined {
  return error instanceof ConnectError ? error.findDetails(ErrorDetailSchema)[0]?.code : undefined;
}

async function rejection(call: Promise<unknown>): Promise<ConnectError> {
  try {
    await call;
  } catch (error) {
    return ConnectError.from(error);
  }
  throw new Error("the call succeeded but should have failed");
}

describe("manager start (background) → status → open → API → stop", () => {
  let home: TempHome;
  let paths: AppPaths;
  let port: number;
  let managerPid = 0;
  let link: ManagerLinkHandle | undefined;
  const uiStatuses: UiStatus[] = [];
  const fs = registration("fs");

  beforeAll(async () => {
    home = await initializedHome();
    process.env.MCP_ACP_HOME = home.dir;
    paths = homePaths(home);
    port = await freePort();
  });

  afterAll(async () => {
    await link?.close();
    if (managerFiles(paths).socket) await home.run(["manager", "stop"]);
    if (managerPid > 0) {
      try {
        process.kill(managerPid, "SIGKILL");
      } catch {
        // already gone
      }
    }
    home.remove();
  });

  test("start launches the daemon in the background and prints its pid and dashboard address", async () => {
    const result = await home.run(["manager", "start", "--port", String(port)]);
    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain("Manager started.");
    expect(result.stdout).toContain(`http://127.0.0.1:${port}`);
    managerPid = Number(/PID:\s+(\d+)/.exec(result.stdout)?.[1]);
    expect(managerPid).toBeGreaterThan(0);
    expect(managerFiles(paths)).toEqual({ socket: true, apiSocket: true, pidFile: true, lock: true });
  });

  test("a second start warns that the manager is already running and exits 0", async () => {
    const result = await home.run(["manager", "start", "--port", String(port)]);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain(`already running (pid ${managerPid})`);
  });

  test("status --json lists the manager and the proxies attached to it", async () => {
    link = startManagerLink({
      paths,
      register: fs,
      snapshot: () => ({ clientId: "e2e-client" }),
      onUiStatus: (status) => uiStatuses.push(status),
      logger: createMemoryLogger(),
      headless: false,
      cliEntry: "/nonexistent/never-spawned.ts",
      autoStart: false,
      timing: { backoffInitialMs: 50, backoffMaxMs: 200 },
    });
    await until(() => link?.connected === true, "the proxy link to attach");

    const result = await home.run(["manager", "status", "--json"]);
    expect(result.exitCode).toBe(0);
    const status = JSON.parse(result.stdout) as StatusJson;
    expect(status.manager).toEqual({
      running: true,
      pid: managerPid,
      socket: `${paths.runtimeDir}/manager.sock`,
      api_socket: apiSocketPath(paths),
      ui_url: `http://127.0.0.1:${port}`,
      version: expect.any(String),
    } as StatusJson["manager"]);
    expect(status.proxies).toHaveLength(1);
    const [proxy] = status.proxies ?? [];
    expect(proxy).toMatchObject({ name: "fs", proxy_id: fs.proxyId, instance_id: fs.instanceId, pid: process.pid });
    expect(Number.isNaN(Date.parse(proxy?.connected_at ?? ""))).toBe(false);

    const human = await home.run(["manager", "status"]);
    expect(human.stdout).toContain(`running (pid ${managerPid}`);
    expect(human.stdout).toContain("Attached proxies (1):");
  });

  test("open prints a single-use link; exchanging it gives the cookie that the TCP API requires", async () => {
    const baseUrl = `http://127.0.0.1:${port}`;
    const noToken = await rejection(tcpClient(ManagerService, baseUrl).getStatus({}));
    expect(noToken.code).toBe(Code.Unauthenticated);

    const opened = await home.run(["manager", "open", "--no-browser"]);
    expect(opened.exitCode).toBe(0);
    const loginUrl = opened.stdout.trim();
    expect(loginUrl).toStartWith(`${baseUrl}/?code=`);

    const exchange = await fetch(loginUrl, { redirect: "manual" });
    expect(exchange.status).toBe(303);
    const cookie = (exchange.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    expect(cookie).toMatch(/^mcp_acp_token=[0-9a-f]{64}$/);
    const reused = await fetch(loginUrl, { redirect: "manual" });
    expect(reused.status).toBe(403);

    const status = await tcpClient(ManagerService, baseUrl, cookie).getStatus({});
    expect(status.pid).toBe(managerPid);
    expect(status.attachedProxies.map((p) => p.proxyName)).toEqual(["fs"]);

    // Even a caller holding the token gets no login codes over TCP.
    const overTcp = await rejection(tcpClient(ManagerService, baseUrl, cookie).issueLoginCode({}));
    expect(overTcp.code).toBe(Code.PermissionDenied);
    expect(errorDetailCode(overTcp)).toBe("API_SOCKET_ONLY");
  });

  test("api.sock serves the API without a token, and a subscription there updates the proxies' ui_status", async () => {
    const socket = apiSocketPath(paths);
    const status = await socketClient(ManagerService, socket).getStatus({});
    expect(status.pid).toBe(managerPid);
    expect(status.attachedProxies[0]?.instanceId).toBe(fs.instanceId ?? "");

    const abort = new AbortController();
    const events: Event[] = [];
    const reading = (async () => {
      try {
        for await (const response of socketClient(EventService, socket).subscribe({}, { signal: abort.signal })) {
          if (response.event !== undefined) events.push(response.event);
        }
      } catch {
        // aborted below
      }
    })();
    await until(() => events.some((e) => e.type === EventType.READY), "the ready event");
    const snapshot = events.find((e) => e.type === EventType.SNAPSHOT);
    expect(snapshot?.proxyName).toBe("fs");
    expect(snapshot?.payload.case === "snapshot" && snapshot.payload.value.clientId).toBe("e2e-client");
    await until(() => uiStatuses.at(-1)?.browserConnected === true, "ui_status browser_connected=true at the proxy");
    abort.abort();
    await reading;
    await until(() => uiStatuses.at(-1)?.browserConnected === false, "ui_status browser_connected=false at the proxy");
  });

  test("buf curl lists the services over api.sock through reflection", async () => {
    const proc = Bun.spawnSync([BUF, "curl", "--unix-socket", apiSocketPath(paths), "--http2-prior-knowledge", "--list-services", "http://localhost"], {
      stdout: "pipe",
      stderr: "pipe",
    });
    expect(proc.stderr.toString()).toBe("");
    const services = proc.stdout.toString().trim().split("\n");
    expect(services).toContain("mcpacp.api.v1.ManagerService");
    expect(services).toContain("mcpacp.api.v1.EventService");
    expect(services).toContain("mcpacp.api.v1.ProxyService");
  });

  test("stop ends the daemon and removes its sockets and PID file; a second stop says it is not running", async () => {
    const stopped = await home.run(["manager", "stop"]);
    expect(stopped.exitCode).toBe(0);
    expect(stopped.stdout).toContain(`Manager stopped (pid ${managerPid})`);
    expect(managerFiles(paths)).toEqual({ socket: false, apiSocket: false, pidFile: false, lock: false });
    await until(() => link?.connected === false, "the proxy link to notice");

    const again = await home.run(["manager", "stop"]);
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain("not running");
    const status = JSON.parse((await home.run(["manager", "status", "--json"])).stdout) as StatusJson;
    expect(status.manager.running).toBe(false);
    expect(status.proxies).toEqual([]);
  });
});
