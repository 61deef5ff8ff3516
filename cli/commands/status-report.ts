// What `status` knows about one proxy (also its JSON shape), and how it is asked over the proxy's
// own control socket. The manager route (status-manager.ts) fills the same report.
import { toJson, type JsonObject } from "@bufbuild/protobuf";
import { durationMs, timestampDate } from "@bufbuild/protobuf/wkt";
import { ProxyStatsSchema, type ProxyStats } from "../../lib/gen/mcpacp/common/v1/stats_pb.ts";
import { BackendTransport, type BackendInfo, type ProxyInfo } from "../../lib/gen/mcpacp/common/v1/proxy_pb.ts";
import type { ControlStatus } from "../../lib/gen/mcpacp/common/v1/runtime_pb.ts";
import { controlSocketPath, type AppPaths } from "../../lib/paths/index.ts";
import { RpcError } from "../../lib/rpc/index.ts";
import { CALL_TIMEOUT_MS, errorText, isUnimplemented, type ProxyConnection } from "../control-client.ts";
import type { AnswerSource } from "../manager-api.ts";
import { commandLine } from "./proxy/describe-proxy.ts";

interface RequestCounts {
  total: number;
  allowed: number;
  denied: number;
  hitl: number;
}

/** What `status` reports about one proxy (also its JSON shape). */
export interface ProxyStatusReport {
  name: string;
  running: boolean;
  socket: string;
  /** Set when the proxy's socket answered but its status could not be read. */
  error?: string;
  pid?: number;
  version?: string;
  instance_id?: string;
  started_at?: string;
  uptime_seconds?: number;
  policy?: { version: string; rules: number; reload_count: number; last_reload_at: string | null };
  config?: { version: string; changed_on_disk: boolean };
  backend?: { server_name: string; transport: string; target: string; connected: boolean; server_info: string };
  client?: { name: string; mcp_protocol_version: string };
  manager_attached?: boolean;
  approver_available?: boolean;
  /** Null when the proxy does not report them; `requests_unavailable` says why. */
  requests?: RequestCounts | null;
  requests_unavailable?: string;
  stats?: JsonObject;
  /** Who answered for a running proxy: the manager, or the proxy's control socket. */
  via?: AnswerSource;
}

const TRANSPORTS: Record<BackendTransport, string> = {
  [BackendTransport.UNSPECIFIED]: "not chosen yet",
  [BackendTransport.STDIO]: "stdio",
  [BackendTransport.STREAMABLE_HTTP]: "streamable HTTP",
  [BackendTransport.AUTO]: "auto",
};

export function backendReport(backend: BackendInfo): NonNullable<ProxyStatusReport["backend"]> {
  const target = backend.transport === BackendTransport.STDIO ? commandLine(backend.command, backend.args) : backend.url;
  const serverInfo = [backend.serverInfoName, backend.serverInfoVersion].filter((p) => p !== "").join(" ");
  return {
    server_name: backend.serverName,
    transport: TRANSPORTS[backend.transport] ?? "unknown",
    target,
    connected: backend.connected,
    server_info: serverInfo,
  };
}

export function statsReport(stats: ProxyStats | undefined): Pick<ProxyStatusReport, "requests" | "requests_unavailable" | "stats"> {
  if (stats === undefined) return { requests: null, requests_unavailable: "the proxy answered GetStats without statistics" };
  return {
    requests: {
      total: Number(stats.requestsTotal),
      allowed: Number(stats.requestsAllowed),
      denied: Number(stats.requestsDenied),
      hitl: Number(stats.requestsHitl),
    },
    stats: toJson(ProxyStatsSchema, stats, { useProtoFieldName: true }) as JsonObject,
  };
}

export function fillReport(report: ProxyStatusReport, info: ProxyInfo | undefined, status: ControlStatus | undefined): void {
  if (info !== undefined) {
    report.pid = info.pid;
    report.version = info.version;
    report.instance_id = info.instanceId;
    if (info.startedAt !== undefined) report.started_at = timestampDate(info.startedAt).toISOString();
    if (info.backend !== undefined) report.backend = backendReport(info.backend);
    report.client = { name: info.clientId, mcp_protocol_version: info.mcpProtocolVersion };
    report.manager_attached = info.managerAttached;
    report.approver_available = info.approverAvailable;
  }
  const uptime = status?.uptime ?? info?.uptime;
  if (uptime !== undefined) report.uptime_seconds = Math.floor(durationMs(uptime) / 1000);
  if (status !== undefined) {
    report.policy = {
      version: status.policyVersion,
      rules: status.policyRulesCount,
      reload_count: status.reloadCount,
      last_reload_at: status.lastReloadAt === undefined ? null : timestampDate(status.lastReloadAt).toISOString(),
    };
    report.config = { version: status.configVersion, changed_on_disk: status.configChangedOnDisk };
  }
}

/** Why a report has no request counts, from the failure of GetStats. */
export function statsUnavailableText(error: unknown): string {
  return isUnimplemented(error)
    ? "the proxy does not report request statistics: GetStats is not available in the mcp-acp version it runs"
    : `GetStats failed: ${errorText(error)}${error instanceof RpcError ? ` (${error.codeName})` : ""}`;
}

/** Asks one running proxy everything status shows; a failing GetInfo/GetControlStatus is `error`. */
async function askProxy(connection: ProxyConnection, paths: AppPaths): Promise<ProxyStatusReport> {
  const report: ProxyStatusReport = { name: connection.name, running: true, socket: controlSocketPath(paths, connection.name), via: "control_socket" };
  const options = { timeoutMs: CALL_TIMEOUT_MS };
  const [info, status, stats] = await Promise.allSettled([
    connection.call((c) => c.getInfo({}, options)),
    connection.call((c) => c.getControlStatus({}, options)),
    connection.call((c) => c.getStats({}, options)),
  ]);
  const failed = [info, status].find((r) => r.status === "rejected");
  if (failed !== undefined) {
    report.error = `the proxy's socket answers but its status could not be read: ${errorText(failed.reason)}`;
  }
  fillReport(report, info.status === "fulfilled" ? info.value.info : undefined, status.status === "fulfilled" ? status.value.status : undefined);
  if (stats.status === "fulfilled") Object.assign(report, statsReport(stats.value.stats));
  else {
    report.requests = null;
    report.requests_unavailable = statsUnavailableText(stats.reason);
  }
  return report;
}

export async function reportOf(connection: ProxyConnection, paths: AppPaths): Promise<ProxyStatusReport> {
  try {
    return await askProxy(connection, paths);
  } finally {
    connection.close();
  }
}
