// `mcp-acp status [--proxy NAME] [--json]`: which proxies run, asked over their control sockets.
// Without --proxy every configured proxy is probed (0.5 s) and the running ones are asked for
// uptime, policy, backend and request counts; "k/n proxies running" closes the list. With
// --proxy one proxy is shown in detail, and a proxy that is not running is an error (exit 1).
// Request counts come from GetStats; a proxy without it shows "n/a", never invented numbers.
import { toJson, type JsonObject } from "@bufbuild/protobuf";
import { durationMs, timestampDate } from "@bufbuild/protobuf/wkt";
import { defineCommand } from "citty";
import { listProxyNames } from "../../lib/config/index.ts";
import { ProxyStatsSchema, type ProxyStats } from "../../lib/gen/mcpacp/common/v1/stats_pb.ts";
import { BackendTransport, type BackendInfo, type ProxyInfo } from "../../lib/gen/mcpacp/common/v1/proxy_pb.ts";
import type { ControlStatus } from "../../lib/gen/mcpacp/common/v1/runtime_pb.ts";
import { controlSocketPath, type AppPaths } from "../../lib/paths/index.ts";
import { RpcError } from "../../lib/rpc/index.ts";
import { appPaths } from "../app-paths.ts";
import {
  CALL_TIMEOUT_MS,
  connectRunningProxy,
  errorText,
  isUnimplemented,
  openProxyConnection,
  runningProxies,
  type ProxyConnection,
} from "../control-client.ts";
import { failure } from "../errors.ts";
import { requireProxy } from "../proxy-lookup.ts";
import { printJson, printLine, stdoutStyle } from "../ui/index.ts";
import { formatSeconds } from "./approvals/format.ts";
import { countOf } from "./logs/format.ts";
import { printable } from "./policy/describe-rule.ts";
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
}

const TRANSPORTS: Record<BackendTransport, string> = {
  [BackendTransport.UNSPECIFIED]: "not chosen yet",
  [BackendTransport.STDIO]: "stdio",
  [BackendTransport.STREAMABLE_HTTP]: "streamable HTTP",
  [BackendTransport.AUTO]: "auto",
};

function backendReport(backend: BackendInfo): NonNullable<ProxyStatusReport["backend"]> {
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

function statsReport(stats: ProxyStats | undefined): Pick<ProxyStatusReport, "requests" | "requests_unavailable" | "stats"> {
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

function fillReport(report: ProxyStatusReport, info: ProxyInfo | undefined, status: ControlStatus | undefined): void {
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

/** Asks one running proxy everything status shows; a failing GetInfo/GetControlStatus is `error`. */
async function askProxy(connection: ProxyConnection, paths: AppPaths): Promise<ProxyStatusReport> {
  const report: ProxyStatusReport = { name: connection.name, running: true, socket: controlSocketPath(paths, connection.name) };
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
    report.requests_unavailable = isUnimplemented(stats.reason)
      ? "the proxy does not report request statistics: GetStats is not available in the mcp-acp version it runs"
      : `GetStats failed: ${errorText(stats.reason)}${stats.reason instanceof RpcError ? ` (${stats.reason.codeName})` : ""}`;
  }
  return report;
}

async function reportOf(connection: ProxyConnection, paths: AppPaths): Promise<ProxyStatusReport> {
  try {
    return await askProxy(connection, paths);
  } finally {
    connection.close();
  }
}

function requestsText(report: ProxyStatusReport): string {
  const r = report.requests;
  if (r === undefined || r === null) return "n/a";
  return `${r.total} (${r.allowed} allowed, ${r.denied} denied, ${r.hitl} hitl)`;
}

function policyText(report: ProxyStatusReport): string {
  return report.policy === undefined ? "?" : `${printable(report.policy.version)} (${countOf(report.policy.rules, "rule")})`;
}

function backendText(report: ProxyStatusReport): string {
  const b = report.backend;
  if (b === undefined) return "?";
  return `${b.transport}${b.target === "" ? "" : `: ${printable(b.target)}`}`;
}

/** Pads every column but the last to its widest cell. */
function table(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, [...cell].length)));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join("  ").trimEnd());
}

function printOverview(reports: readonly ProxyStatusReport[]): void {
  const style = stdoutStyle();
  const running = reports.filter((r) => r.running).length;
  if (reports.length === 0) {
    printLine("No proxies configured. Add one with: mcp-acp proxy add");
  } else {
    const rows = [["PROXY", "STATUS", "UPTIME", "POLICY", "BACKEND", "REQUESTS"]];
    for (const r of reports) {
      if (!r.running) rows.push([r.name, "not running"]);
      else if (r.error !== undefined) rows.push([r.name, "running", "?", "?", "?", r.error]);
      else rows.push([r.name, "running", formatSeconds(r.uptime_seconds ?? 0), policyText(r), backendText(r), requestsText(r)]);
    }
    const [header, ...body] = table(rows);
    printLine(style.bold(header ?? ""));
    for (const line of body) printLine(line);
    printLine();
  }
  printLine(`${running}/${reports.length} proxies running`);
}

function printDetail(report: ProxyStatusReport): void {
  const style = stdoutStyle();
  const facts = [report.pid === undefined ? "" : `pid ${report.pid}`, report.version === undefined ? "" : `mcp-acp ${report.version}`].filter((f) => f !== "");
  printLine(style.bold(`Proxy '${report.name}': running${facts.length > 0 ? ` (${facts.join(", ")})` : ""}`));
  const rows: [string, string][] = [];
  if (report.error !== undefined) rows.push(["Problem", report.error]);
  if (report.uptime_seconds !== undefined) {
    rows.push(["Uptime", `${formatSeconds(report.uptime_seconds)}${report.started_at === undefined ? "" : ` (since ${report.started_at})`}`]);
  }
  if (report.policy !== undefined) {
    const reloads = report.policy.reload_count === 0 ? "not reloaded since start" : `reloaded ${countOf(report.policy.reload_count, "time")}`;
    rows.push(["Policy", `version ${printable(report.policy.version)}, ${countOf(report.policy.rules, "rule")}, ${reloads}`]);
  }
  if (report.config !== undefined) {
    const version = report.config.version === "" ? "" : `version ${printable(report.config.version)}; `;
    rows.push(["Config", `${version}${report.config.changed_on_disk ? "config.json changed on disk (restart the proxy to apply it)" : "config.json unchanged since start"}`]);
  }
  const b = report.backend;
  if (b !== undefined) {
    const info = b.server_info === "" ? "" : ` (${printable(b.server_info)})`;
    rows.push(["Backend", `${printable(b.server_name)} over ${backendText(report)}, ${b.connected ? "connected" : "not connected"}${info}`]);
  }
  if (report.client !== undefined) {
    const c = report.client;
    rows.push(["Client", c.name === "" ? "no MCP client has initialized yet" : `${printable(c.name)}${c.mcp_protocol_version === "" ? "" : ` (MCP ${printable(c.mcp_protocol_version)})`}`]);
  }
  if (report.manager_attached !== undefined) rows.push(["Manager", report.manager_attached ? "attached" : "not attached (headless)"]);
  if (report.approver_available !== undefined) {
    rows.push(["Approver", report.approver_available ? "reachable" : "none reachable (run 'mcp-acp approvals watch' to approve from a terminal)"]);
  }
  rows.push(["Requests", report.requests === null || report.requests === undefined ? `n/a (${report.requests_unavailable ?? "not reported"})` : requestsText(report)]);
  rows.push(["Socket", report.socket]);
  const width = Math.max(...rows.map(([label]) => label.length)) + 1;
  for (const [label, value] of rows) printLine(`  ${`${label}:`.padEnd(width)} ${value}`);
}

export const statusCommand = defineCommand({
  meta: {
    name: "status",
    description:
      "Show which proxies are running, with uptime, policy, backend and request counts (asked over their control " +
      "sockets; works without the manager). With --proxy, details of one proxy; exit 1 when it is not running",
  },
  args: {
    proxy: { type: "string", alias: "p", description: "Show this proxy in detail", valueHint: "name" },
    json: { type: "boolean", description: "Print one JSON document" },
  },
  async run({ args }) {
    const paths = appPaths();
    if (args.proxy !== undefined) {
      const name = requireProxy(paths, args.proxy);
      const report = await reportOf(await connectRunningProxy(paths, name), paths);
      if (report.error !== undefined) throw failure(`Proxy '${name}' is running, but ${report.error.replace(/^the proxy's socket answers but /, "")}`);
      if (args.json === true) printJson(report);
      else printDetail(report);
      return;
    }
    const names = listProxyNames(paths);
    const running = new Set(await runningProxies(paths, names));
    const reports = await Promise.all(
      names.map((name) =>
        running.has(name) ? reportOf(openProxyConnection(paths, name), paths) : Promise.resolve<ProxyStatusReport>({ name, running: false, socket: controlSocketPath(paths, name) }),
      ),
    );
    if (args.json === true) {
      printJson({ proxies: reports, running: running.size, total: names.length });
      return;
    }
    printOverview(reports);
  },
});
