// `mcp-acp status [--proxy NAME] [--json]`: which proxies run. When the manager runs it answers
// for the proxies attached to it (all at once); headless proxies, and every proxy when there is no
// manager, are asked over their control sockets (probed 0.5 s). The running ones show uptime,
// policy, backend and request counts; "k/n proxies running" closes the list. With --proxy one
// proxy is shown in detail, and a proxy that is not running is an error (exit 1). Request counts
// come from GetStats; a proxy without it shows "n/a", never invented numbers.
import { defineCommand } from "citty";
import { listProxyNames } from "../../lib/config/index.ts";
import { controlSocketPath, type AppPaths } from "../../lib/paths/index.ts";
import { appPaths } from "../app-paths.ts";
import { connectRunningProxy, openProxyConnection, runningProxies } from "../control-client.ts";
import { failure } from "../errors.ts";
import { runningManagerApi } from "../manager-api.ts";
import { requireProxy } from "../proxy-lookup.ts";
import { printJson, printLine, stdoutStyle } from "../ui/index.ts";
import { formatSeconds } from "./approvals/format.ts";
import { countOf } from "./logs/format.ts";
import { printable } from "./policy/describe-rule.ts";
import { detailViaManager, reportsViaManager } from "./status-manager.ts";
import { reportOf, type ProxyStatusReport } from "./status-report.ts";

export type { ProxyStatusReport } from "./status-report.ts";

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
  if (report.via !== undefined) rows.push(["Asked", report.via === "manager" ? "through the manager" : "over the control socket"]);
  const width = Math.max(...rows.map(([label]) => label.length)) + 1;
  for (const [label, value] of rows) printLine(`  ${`${label}:`.padEnd(width)} ${value}`);
}

/** Every proxy in `names`, asked over its control socket (no manager). */
async function socketReports(paths: AppPaths, names: readonly string[]): Promise<ProxyStatusReport[]> {
  const running = new Set(await runningProxies(paths, names));
  return Promise.all(
    names.map((name) =>
      running.has(name) ? reportOf(openProxyConnection(paths, name), paths) : Promise.resolve<ProxyStatusReport>({ name, running: false, socket: controlSocketPath(paths, name) }),
    ),
  );
}

export const statusCommand = defineCommand({
  meta: {
    name: "status",
    description:
      "Show which proxies are running, with uptime, policy, backend and request counts (asked through the manager " +
      "when it runs, else over the proxies' control sockets). With --proxy, details of one proxy; exit 1 when it is not running",
  },
  args: {
    proxy: { type: "string", alias: "p", description: "Show this proxy in detail", valueHint: "name" },
    json: { type: "boolean", description: "Print one JSON document" },
  },
  async run({ args }) {
    const paths = appPaths();
    if (args.proxy !== undefined) {
      const name = requireProxy(paths, args.proxy);
      const api = await runningManagerApi(paths);
      const report = api === undefined ? await reportOf(await connectRunningProxy(paths, name), paths) : await detailViaManager(api, paths, name);
      if (report.error !== undefined) throw failure(`Proxy '${name}' is running, but ${report.error.replace(/^the proxy's socket answers but /, "")}`);
      if (args.json === true) printJson(report);
      else printDetail(report);
      return;
    }
    const names = listProxyNames(paths);
    const api = names.length === 0 ? undefined : await runningManagerApi(paths);
    const reports = (api === undefined ? undefined : await reportsViaManager(api, paths, names)) ?? (await socketReports(paths, names));
    if (args.json === true) {
      printJson({ proxies: reports, running: reports.filter((r) => r.running).length, total: names.length });
      return;
    }
    printOverview(reports);
  },
});
