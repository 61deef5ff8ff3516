// Shared pieces of the manager end-to-end tests: free ports, Connect clients for the TCP
// listener (with the login cookie) and for api.sock (no token), and file checks.
import { existsSync } from "node:fs";
import * as net from "node:net";
import { join } from "node:path";
import type { DescService } from "@bufbuild/protobuf";
import { createClient, type Client, type Interceptor } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import { apiSocketPath, managerLockPath, managerPidPath, managerSocketPath, resolveAppPaths, type AppPaths } from "../../lib/paths/index.ts";
import { ProxyService } from "../../lib/gen/mcpacp/api/v1/proxy_service_pb.ts";
import { REPO_ROOT, type TempHome } from "../helpers/index.ts";

export const BUF = join(REPO_ROOT, "node_modules", ".bin", "buf");
export const DAEMON_FIXTURE = join(import.meta.dir, "fixtures", "daemon.ts");

/** A port nothing listens on right now (bound once by the OS, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Holds a TCP port until closed. */
export function holdPort(port: number): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}

export function homePaths(home: TempHome): AppPaths {
  return resolveAppPaths({ MCP_ACP_HOME: home.dir });
}

export interface ManagerFiles {
  socket: boolean;
  apiSocket: boolean;
  pidFile: boolean;
  lock: boolean;
}

export function managerFiles(paths: AppPaths): ManagerFiles {
  return {
    socket: existsSync(managerSocketPath(paths)),
    apiSocket: existsSync(apiSocketPath(paths)),
    pidFile: existsSync(managerPidPath(paths)),
    lock: existsSync(managerLockPath(paths)),
  };
}

/** A Connect client of the TCP listener carrying `cookie` (or nothing). */
export function tcpClient<S extends DescService>(service: S, baseUrl: string, cookie?: string): Client<S> {
  const withCookie: Interceptor = (next) => (req) => {
    if (cookie !== undefined) req.header.set("cookie", cookie);
    return next(req);
  };
  return createClient(service, createConnectTransport({ baseUrl, httpVersion: "1.1", interceptors: [withCookie] }));
}

/** A gRPC client of api.sock (h2c, no token). */
export function socketClient<S extends DescService>(service: S, socketPath: string): Client<S> {
  return createClient(service, createGrpcTransport({ baseUrl: "http://localhost", nodeOptions: { createConnection: () => net.connect(socketPath) } }));
}

/** Polls until `check` holds (hang guard: throws after timeoutMs). */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() >= deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(50);
  }
}

/**
 * `mcp-acp manager start --foreground` on a free port as a child process of the test, for the
 * given home's environment; resolves once its api.sock answers ListProxies.
 */
export async function spawnForegroundManager(env: Record<string, string>, paths: AppPaths): Promise<Bun.Subprocess> {
  const port = await freePort();
  const child = Bun.spawn([process.execPath, join(REPO_ROOT, "cli", "main.ts"), "manager", "start", "--foreground", "--port", String(port)], {
    cwd: REPO_ROOT,
    env,
    stdin: "ignore",
    stdout: "ignore",
    stderr: "ignore",
  });
  const socket = apiSocketPath(paths);
  const proxies = socketClient(ProxyService, socket);
  await until(async () => existsSync(socket) && (await proxies.listProxies({}).then(() => true, () => false)), "the manager's api.sock", 15_000);
  return child;
}
