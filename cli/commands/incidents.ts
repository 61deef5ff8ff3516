// `mcp-acp incidents [--proxy NAME] [--type shutdown|bootstrap|emergency] [-n 100] [--json]`:
// security shutdowns, failed starts and emergency audit records of all proxies, merged newest
// first (spec audit.md §12). --proxy narrows shutdowns and failed starts; emergency records are
// global and always shown.
import { defineCommand } from "citty";
import { incidentSources, isIncidentCursor, listIncidents, parseIncidentType, type IncidentEntry, type IncidentPage, type IncidentQuery, type ProxyIncidentFiles } from "../../lib/audit/incidents/index.ts";
import { DEFAULT_INCIDENT_LIMIT, MAX_LIMIT, parseTimeRange } from "../../lib/audit/query/index.ts";
import { listProxyNames, loadProxyConfig } from "../../lib/config/index.ts";
import { emergencyAuditPath, proxyBootstrapLogPath, proxyLogDir } from "../../lib/paths/index.ts";
import { appPaths } from "../app-paths.ts";
import { parseIntegerOption } from "../option-values.ts";
import { requireInitialized, requireProxy } from "../proxy-lookup.ts";
import { printErrorLine, printJson, printLine, stderrStyle, stdoutStyle } from "../ui/index.ts";
import { cliErrorOf } from "./logs/options.ts";

function proxyId(name: string): string | undefined {
  try {
    return loadProxyConfig(appPaths(), name).proxy_id;
  } catch {
    return undefined; // the incidents of a proxy with a broken config still count
  }
}

function entryJson(e: IncidentEntry): Record<string, unknown> {
  return {
    id: e.id,
    incident_type: e.type,
    time: e.time,
    proxy_name: e.proxyName,
    proxy_id: e.proxyId,
    event: e.event,
    failure_type: e.failureType,
    reason: e.reason,
    exit_code: e.exitCode,
    record: e.record,
  };
}

function printEntries(page: IncidentPage): void {
  const style = stdoutStyle();
  const proxyWidth = Math.max(1, ...page.entries.map((e) => (e.proxyName ?? "-").length));
  for (const e of page.entries) {
    const what = [e.failureType ?? e.event ?? "unknown", e.exitCode !== null ? `exit ${e.exitCode}` : ""].filter((s) => s !== "").join(", ");
    const head = `${(e.time ?? "(no time)").padEnd(24)}  ${e.type.padEnd(9)}  ${(e.proxyName ?? "-").padEnd(proxyWidth)}  ${e.type === "shutdown" ? style.red(what) : what}`;
    printLine(e.reason !== null ? `${head}: ${e.reason}` : head);
  }
}

export const incidentsCommand = defineCommand({
  meta: { name: "incidents", description: "List security shutdowns, failed starts and emergency audit records, newest first" },
  args: {
    proxy: { type: "string", alias: "p", description: "Only this proxy's shutdowns and failed starts (emergency records are always shown)", valueHint: "name" },
    type: { type: "enum", alias: "t", options: ["shutdown", "bootstrap", "emergency"], description: "Only this kind of incident", valueHint: "kind" },
    lines: { type: "string", alias: "n", description: `How many incidents (1–${MAX_LIMIT}, default ${DEFAULT_INCIDENT_LIMIT})`, valueHint: "count" },
    since: { type: "string", description: "Time range: 5m, 1h, 24h or all (default all)", valueHint: "range" },
    before: { type: "string", description: "Continue with older incidents: a cursor printed by a previous page, or a timestamp", valueHint: "cursor" },
    json: { type: "boolean", description: "Print one JSON document" },
  },
  async run({ args }) {
    const paths = appPaths();
    const manager = requireInitialized(paths);
    if (args.proxy !== undefined) requireProxy(paths, args.proxy);
    const proxies: ProxyIncidentFiles[] = listProxyNames(paths).map((name) => {
      const id = proxyId(name);
      return { name, logDir: proxyLogDir(manager.log_dir, name), bootstrapPath: proxyBootstrapLogPath(paths, name), ...(id !== undefined ? { id } : {}) };
    });
    const query: IncidentQuery = { limit: parseIntegerOption(args.lines, "--lines", { min: 1, max: MAX_LIMIT }) ?? DEFAULT_INCIDENT_LIMIT };
    let page: IncidentPage;
    try {
      query.timeRange = parseTimeRange(args.since ?? "all", "since");
      if (args.proxy !== undefined) query.proxy = args.proxy;
      if (args.type !== undefined) query.types = [parseIncidentType(args.type, "type")];
      const before = args.before?.trim();
      if (before !== undefined && before !== "") {
        if (isIncidentCursor(before)) query.cursor = before;
        else query.before = before;
      }
      page = await listIncidents(incidentSources(proxies, emergencyAuditPath(paths)), query);
    } catch (error) {
      throw cliErrorOf(error);
    }
    if (args.json === true) {
      printJson({
        entries: page.entries.map(entryJson),
        total_returned: page.totalReturned,
        has_more: page.hasMore,
        next_cursor: page.nextCursor,
        filters_applied: page.filtersApplied,
      });
      return;
    }
    if (page.entries.length === 0) {
      printLine("No incidents recorded.");
      return;
    }
    printEntries(page);
    if (page.hasMore && page.nextCursor !== null) printErrorLine(stderrStyle().dim(`Older incidents exist; to see them add: --before ${page.nextCursor}`));
  },
});
