// Shared set-up of the manager API tests: a temp MCP_ACP_HOME with manager.json, proxies created
// with lib/config, the API served by the real gateway on its token-less api.sock, typed Connect
// clients over that socket, a fake registry and event recorder, and real ProxyControl servers
// (lib/rpc on temp sockets) that stand in for running proxies.
import { create, type DescService } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient, type Client } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { mkdtempSync, rmSync } from "node:fs";
import * as net from "node:net";
import { join } from "node:path";
import {
  buildProxyConfig,
  defaultManagerConfig,
  writeDefaultPolicy,
  writeManagerConfig,
  writeProxyConfig,
  type NewProxyInputs,
  type ProxyConfig,
} from "../../lib/config/index.ts";
import { ErrorDetailSchema, type ErrorDetail } from "../../lib/gen/mcpacp/common/v1/error_pb.ts";
import { BackendTransport, ConfigSummarySchema } from "../../lib/gen/mcpacp/common/v1/proxy_pb.ts";
import type { StateSnapshot } from "../../lib/gen/mcpacp/common/v1/snapshot_pb.ts";
import { ProxyControl } from "../../lib/gen/mcpacp/control/v1/control_pb.ts";
import { controlSocketPath, proxyConfigPath, resolveAppPaths, type AppPaths } from "../../lib/paths/index.ts";
import { partialServiceBinding, startGrpcServer, type GrpcServerHandle, type PartialGrpcServiceImpl } from "../../lib/rpc/index.ts";
import { startGateway, type GatewayHandle } from "../../services/manager/gateway/index.ts";
import { ControlClientPool, registerApiRoutes, type AttachedProxy, type EventInit, type ManagerApiDeps } from "../../services/manager/api/index.ts";

export const MANAGER_PID = 4242;

export interface ApiHarness {
  dir: string;
  paths: AppPaths;
  gateway: GatewayHandle;
  /** Attached proxies as the fake registry lists them. */
  attached: AttachedProxy[];
  events: EventInit[];
  /** The approver the deps report; null = nobody signed in. */
  approver: { subjectId: string; displayName: string } | null;
  controlServers: GrpcServerHandle[];
  client<S extends DescService>(service: S): Client<S>;
  close(): Promise<void>;
}

export async function startApiHarness(options: { controlTimeoutMs?: number } = {}): Promise<ApiHarness> {
  const dir = mkdtempSync("/tmp/mcpacp-api-");
  process.env.MCP_ACP_HOME = dir;
  const paths = resolveAppPaths({ MCP_ACP_HOME: dir });
  writeManagerConfig(paths, defaultManagerConfig(paths, { MCP_ACP_HOME: dir }));
  const pool = new ControlClientPool();
  // The deps read the approver from the harness the test holds, so a test can change it.
  const current = { harness: undefined as ApiHarness | undefined };
  const harness = {
    dir,
    paths,
    attached: [] as AttachedProxy[],
    events: [] as EventInit[],
    approver: { subjectId: "alice", displayName: "Alice" } as ApiHarness["approver"],
    controlServers: [] as GrpcServerHandle[],
  };
  const deps: ManagerApiDeps = {
    paths,
    registry: { list: () => harness.attached },
    proxyControl: (proxy, options) => pool.get(proxy.controlSocket, options),
    events: { publish: (event) => void harness.events.push(event), subscriberCount: 0 },
    manager: { pid: MANAGER_PID, version: "0.1.0-test", startedAt: new Date("2026-01-31T12:00:00Z"), uiUrl: () => "http://127.0.0.1:8765" },
    approver: () => current.harness?.approver ?? null,
    now: () => new Date(),
    ...(options.controlTimeoutMs === undefined ? {} : { controlTimeoutMs: options.controlTimeoutMs }),
  };
  const gateway = await startGateway({ routes: (router) => registerApiRoutes(router, deps), port: 0, apiSocketPath: join(dir, "api.sock") });
  const transport = createConnectTransport({
    baseUrl: "http://localhost",
    httpVersion: "2",
    nodeOptions: { createConnection: () => net.connect(gateway.apiSocketPath) },
  });
  const result: ApiHarness = {
    ...harness,
    gateway,
    client: (service) => createClient(service, transport),
    close: async () => {
      pool.close();
      for (const server of harness.controlServers) await server.close();
      await gateway.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  current.harness = result;
  return result;
}

/** A stdio proxy made the way `proxy add` makes one; returns its config. */
export function addProxy(h: ApiHarness, name: string, inputs: Partial<NewProxyInputs> = {}): ProxyConfig {
  const full: NewProxyInputs = {
    serverName: `${name} server`,
    transport: "stdio",
    stdio: { command: `/usr/bin/${name}-server`, args: ["--root", `/srv/${name}`], sha256: undefined },
    http: undefined,
    mtls: null,
    ...inputs,
  };
  const config = buildProxyConfig(full, proxyConfigPath(h.paths, name));
  writeProxyConfig(h.paths, name, config);
  writeDefaultPolicy(h.paths, name);
  return config;
}

/** Registers `name` as attached, with its control socket at the usual path. */
export function attach(h: ApiHarness, name: string, config: ProxyConfig, snapshot?: StateSnapshot): AttachedProxy {
  const entry: AttachedProxy = {
    proxyName: name,
    proxyId: config.proxy_id,
    instanceId: `${config.proxy_id.slice(3, 11)}_0badcafe`,
    pid: process.pid,
    controlSocket: controlSocketPath(h.paths, name),
    connectedAt: new Date("2026-01-31T12:00:01Z"),
    configSummary: create(ConfigSummarySchema, { serverName: config.backend.server_name, transport: BackendTransport.STDIO, policyVersion: "v3" }),
    ...(snapshot === undefined ? {} : { snapshot: () => snapshot }),
  };
  h.attached.push(entry);
  return entry;
}

export function detachAll(h: ApiHarness): void {
  h.attached.length = 0;
}

/** A real ProxyControl server on the proxy's control socket answering only the given RPCs. */
export async function serveControl(h: ApiHarness, name: string, impl: PartialGrpcServiceImpl<typeof ProxyControl>): Promise<GrpcServerHandle> {
  const server = await startGrpcServer({
    socketPath: controlSocketPath(h.paths, name),
    services: [partialServiceBinding(ProxyControl, impl)],
    reflection: false,
    onHandlerError: () => {},
  });
  h.controlServers.push(server);
  return server;
}

export async function stopControl(h: ApiHarness, server: GrpcServerHandle): Promise<void> {
  await server.close();
  h.controlServers.splice(h.controlServers.indexOf(server), 1);
}

export interface CaughtError {
  code: Code;
  detail: ErrorDetail | undefined;
  message: string;
}

/** The Connect error a call fails with, and its ErrorDetail; fails the test when it succeeds. */
export async function failure(call: Promise<unknown>): Promise<CaughtError> {
  try {
    await call;
  } catch (error) {
    const e = ConnectError.from(error);
    return { code: e.code, detail: e.findDetails(ErrorDetailSchema)[0], message: e.rawMessage };
  }
  throw new Error("expected the call to fail");
}

export function violationFields(caught: CaughtError): string[] {
  return (caught.detail?.violations ?? []).map((v) => v.field);
}
