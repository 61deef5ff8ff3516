// `mcp-acp manager status [--json]`: whether the manager runs (Health on manager.sock, else the
// PID file of a manager holding its lock) and which proxies are attached (ManagerService.GetStatus
// on api.sock). JSON: {manager:{running,pid,socket,api_socket,ui_url,version}, proxies:[…]}.
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { defineCommand } from "citty";
import { ManagerService, type AttachedProxy } from "../../../lib/gen/mcpacp/api/v1/manager_service_pb.ts";
import { apiSocketPath } from "../../../lib/paths/index.ts";
import { readManagerStatus, type ManagerStatus } from "../../../services/manager/index.ts";
import { appPaths } from "../../app-paths.ts";
import { EXIT_OK } from "../../errors.ts";
import { printJson, printLine, stdoutStyle } from "../../ui/index.ts";
import { API_CALL_TIMEOUT_MS, apiCallFailure, managerApiClient } from "./api-client.ts";

export interface AttachedProxyReport {
  name: string;
  proxy_id: string;
  instance_id: string;
  pid: number;
  connected_at: string | null;
}

export interface ManagerStatusReport {
  manager: {
    running: boolean;
    pid: number | null;
    /** The ManagerLink socket (manager.sock). */
    socket: string;
    api_socket: string | null;
    ui_url: string | null;
    version: string | null;
  };
  /** Attached proxies; null when they could not be listed (`error` says why). */
  proxies: AttachedProxyReport[] | null;
  error?: string;
}

function proxyReport(proxy: AttachedProxy): AttachedProxyReport {
  return {
    name: proxy.proxyName,
    proxy_id: proxy.proxyId,
    instance_id: proxy.instanceId,
    pid: proxy.pid,
    connected_at: proxy.connectedAt === undefined ? null : timestampDate(proxy.connectedAt).toISOString(),
  };
}

async function buildReport(status: ManagerStatus, fallbackApiSocket: string): Promise<ManagerStatusReport> {
  const health = status.health;
  const report: ManagerStatusReport = {
    manager: {
      running: status.running,
      pid: status.pid ?? null,
      socket: status.socketPath,
      api_socket: health === undefined ? null : health.apiSocket || fallbackApiSocket,
      ui_url: health === undefined || health.uiUrl === "" ? null : health.uiUrl,
      version: health?.version ?? null,
    },
    proxies: status.running ? null : [],
  };
  if (!status.running) return report;
  if (health === undefined) {
    report.error = `The manager (pid ${status.pid ?? "?"}) holds its lock but does not answer on ${status.socketPath}.`;
    return report;
  }
  const socket = report.manager.api_socket ?? fallbackApiSocket;
  try {
    const answer = await managerApiClient(ManagerService, socket).getStatus({}, { timeoutMs: API_CALL_TIMEOUT_MS });
    report.proxies = answer.attachedProxies.map(proxyReport);
  } catch (error) {
    report.error = apiCallFailure(error, "list the attached proxies", socket).message;
  }
  return report;
}

function printReport(report: ManagerStatusReport): void {
  const style = stdoutStyle();
  const m = report.manager;
  if (!m.running) {
    printLine(`Manager: ${style.dim("not running")}`);
    printLine("  Start it with 'mcp-acp manager start' (proxies also start it when they need it).");
    return;
  }
  printLine(`Manager: ${style.green("running")} (pid ${m.pid ?? "?"}${m.version === null ? "" : `, version ${m.version}`})`);
  printLine(`  Dashboard:    ${m.ui_url ?? "(not listening)"}`);
  printLine(`  Link socket:  ${m.socket}`);
  if (m.api_socket !== null) printLine(`  API socket:   ${m.api_socket}`);
  if (report.error !== undefined) printLine(`  ${style.red("!")} ${report.error}`);
  if (report.proxies === null) return;
  if (report.proxies.length === 0) {
    printLine("Attached proxies: none");
    return;
  }
  printLine(`Attached proxies (${report.proxies.length}):`);
  const width = Math.max(...report.proxies.map((p) => p.name.length));
  for (const proxy of report.proxies) {
    printLine(`  ${proxy.name.padEnd(width)}  ${proxy.proxy_id}  pid ${proxy.pid}  since ${proxy.connected_at ?? "?"}`);
  }
}

export const statusCommand = defineCommand({
  meta: { name: "status", description: "Show whether the manager runs and which proxies are attached" },
  args: { json: { type: "boolean", description: "Print JSON" } },
  async run({ args }) {
    const paths = appPaths();
    const report = await buildReport(await readManagerStatus(paths), apiSocketPath(paths));
    if (args.json === true) printJson(report);
    else printReport(report);
    return EXIT_OK;
  },
});
