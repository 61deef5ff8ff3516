// Shared set-up of the gateway tests: a real gateway on an ephemeral port and a temp api.sock,
// serving a small route set implemented here (GetStatus, a mutation, and a controllable
// EventService.Subscribe stream), plus raw HTTP helpers for what typed clients cannot send.
import { create, fromBinary } from "@bufbuild/protobuf";
import { timestampNow } from "@bufbuild/protobuf/wkt";
import type { ConnectRouter } from "@connectrpc/connect";
import { mkdtempSync, rmSync } from "node:fs";
import * as http from "node:http";
import { join, resolve } from "node:path";
import { EventService, EventSchema, type SubscribeResponse } from "../../lib/gen/mcpacp/api/v1/event_service_pb.ts";
import { ManagerService } from "../../lib/gen/mcpacp/api/v1/manager_service_pb.ts";
import { ProxyService } from "../../lib/gen/mcpacp/api/v1/proxy_service_pb.ts";
import { ErrorDetailSchema } from "../../lib/gen/mcpacp/common/v1/error_pb.ts";
import { EventType } from "../../lib/gen/mcpacp/common/v1/event_pb.ts";
import { startGateway, type GatewayHandle, type GatewayOptions } from "../../services/manager/gateway/index.ts";

export const REPO_ROOT = resolve(import.meta.dir, "..", "..");
export const BUF = join(REPO_ROOT, "node_modules", ".bin", "buf");
export const TEST_PID = 4242;

/** What a Subscribe call does: the test hands in the steps. */
export type StreamStep = { event: SubscribeResponse["event"] } | { wait: Promise<void> };

export interface TestGateway {
  gateway: GatewayHandle;
  dir: string;
  activity: string[];
  deletions: string[];
  /** Steps for the next Subscribe calls (each call takes the first script). */
  streamScripts: StreamStep[][];
  bearer: Record<string, string>;
  close(): Promise<void>;
}

export function readyEvent(seq: bigint): SubscribeResponse["event"] {
  return create(EventSchema, {
    seq,
    type: EventType.READY,
    ts: timestampNow(),
    payload: { case: "ready", value: { headSeq: seq } },
  });
}

export function keepaliveEvent(seq: bigint): SubscribeResponse["event"] {
  return create(EventSchema, { seq, type: EventType.KEEPALIVE, payload: { case: "keepalive", value: {} } });
}

export async function startTestGateway(extra: Partial<GatewayOptions> = {}): Promise<TestGateway> {
  const dir = mkdtempSync("/tmp/mcpacp-gw-");
  process.env.MCP_ACP_HOME = dir; // nothing here touches the app's folders; this makes sure of it
  const activity: string[] = [];
  const deletions: string[] = [];
  const streamScripts: StreamStep[][] = [];
  const routes = (router: ConnectRouter): void => {
    router.service(ManagerService, {
      getStatus: async () => ({ pid: TEST_PID, version: "test", apiSocket: join(dir, "api.sock") }),
    });
    router.service(ProxyService, {
      notifyProxyDeleted: async (req) => {
        deletions.push(req.proxyName);
        return {};
      },
    });
    router.service(EventService, {
      async *subscribe(_req, ctx) {
        const script = streamScripts.shift() ?? [{ event: readyEvent(1n) }];
        for (const step of script) {
          if ("wait" in step) await Promise.race([step.wait, new Promise((r) => ctx.signal.addEventListener("abort", r))]);
          else yield { event: step.event };
          if (ctx.signal.aborted) return;
        }
      },
    });
  };
  const gateway = await startGateway({
    routes,
    port: 0,
    apiSocketPath: join(dir, "api.sock"),
    onActivity: (kind, procedure) => activity.push(`${kind} ${procedure}`),
    ...extra,
  });
  return {
    gateway,
    dir,
    activity,
    deletions,
    streamScripts,
    bearer: { authorization: `Bearer ${gateway.token}` },
    close: async () => {
      await gateway.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface RawRequest {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** TCP port, or a Unix socket path. */
  port?: number;
  socketPath?: string;
}

/** One HTTP/1.1 request with exactly the headers given (the Host header included). */
export function rawRequest(options: RawRequest): Promise<RawResponse> {
  return new Promise((resolvePromise, reject) => {
    const req = http.request(
      {
        method: options.method ?? "GET",
        path: options.path,
        headers: options.headers ?? {},
        ...(options.socketPath !== undefined ? { socketPath: options.socketPath } : { host: "127.0.0.1", port: options.port }),
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolvePromise({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

/** Headers of a well-formed Connect unary JSON call over TCP. */
export function connectJsonHeaders(port: number, extra: Record<string, string> = {}): Record<string, string> {
  return {
    host: `127.0.0.1:${port}`,
    "content-type": "application/json",
    "connect-protocol-version": "1",
    ...extra,
  };
}

export const GET_STATUS_PATH = "/mcpacp.api.v1.ManagerService/GetStatus";
export const NOTIFY_DELETED_PATH = "/mcpacp.api.v1.ProxyService/NotifyProxyDeleted";

export interface ProcessResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs a command without blocking the event loop (the gateway serves from this process). */
export async function runCommand(cmd: readonly string[]): Promise<ProcessResult> {
  const child = Bun.spawn([...cmd], { stdout: "pipe", stderr: "pipe", stdin: "ignore" });
  const [stdout, stderr] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text()]);
  return { exitCode: await child.exited, stdout, stderr };
}

/** Code, message and ErrorDetail.code of a Connect JSON error body. */
export function connectErrorBody(body: string): { code: string; message: string; detailCode?: string } {
  const parsed = JSON.parse(body) as { code: string; message: string; details?: { type: string; value: string }[] };
  const detail = parsed.details?.find((d) => d.type === "mcpacp.common.v1.ErrorDetail");
  const detailCode = detail ? fromBinary(ErrorDetailSchema, Buffer.from(detail.value, "base64")).code : undefined;
  return { code: parsed.code, message: parsed.message, ...(detailCode !== undefined ? { detailCode } : {}) };
}
