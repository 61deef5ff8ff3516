// `mcp-acp proxy list`: configured proxies with their backend.
import { defineCommand } from "citty";
import { listProxyNames, loadProxyConfig } from "../../../lib/config/index.ts";
import { proxyConfigPath, type AppPaths } from "../../../lib/paths/index.ts";
import { appPaths } from "../../app-paths.ts";
import { failMark, printJson, printLine, stdoutStyle } from "../../ui/index.ts";
import { backendSummary } from "./describe-proxy.ts";

export interface ProxyListEntry {
  name: string;
  config_file: string;
  server_name?: string;
  transport?: string;
  command?: string;
  args?: string[];
  url?: string;
  /** Set instead of the backend fields when config.json cannot be loaded. */
  error?: string;
  /** Human one-liner of the backend (command line and/or URL). */
  backend?: string;
}

function listEntries(paths: AppPaths): ProxyListEntry[] {
  return listProxyNames(paths).map((name) => {
    const entry: ProxyListEntry = { name, config_file: proxyConfigPath(paths, name) };
    try {
      const config = loadProxyConfig(paths, name);
      entry.server_name = config.backend.server_name;
      entry.transport = config.backend.transport;
      if (config.backend.stdio != null) {
        entry.command = config.backend.stdio.command;
        entry.args = [...config.backend.stdio.args];
      }
      if (config.backend.http != null) entry.url = config.backend.http.url;
      entry.backend = backendSummary(config);
    } catch (error) {
      entry.error = error instanceof Error ? error.message : String(error);
    }
    return entry;
  });
}

/** Pads every column but the last to its widest cell. */
function table(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join("  "));
}

export const listCommand = defineCommand({
  meta: { name: "list", description: "List configured proxies" },
  args: {
    json: { type: "boolean", description: "Print JSON instead of text" },
  },
  run({ args }) {
    const entries = listEntries(appPaths());
    if (args.json === true) {
      printJson({ proxies: entries.map(({ backend: _backend, ...rest }) => rest) });
      return;
    }
    if (entries.length === 0) {
      printLine("No proxies configured.");
      printLine("  Add one with: mcp-acp proxy add");
      return;
    }
    const style = stdoutStyle();
    printLine(`Proxies (${entries.length}):`);
    // Valid entries form a table; an unreadable config gets its own line in the same order.
    const nameWidth = Math.max(...entries.map((e) => e.name.length));
    const valid = entries.filter((e) => e.error === undefined);
    const lines = table(valid.map((e) => [e.name.padEnd(nameWidth), e.server_name ?? "", e.transport ?? "", e.backend ?? ""]));
    for (const entry of entries) {
      const line =
        entry.error === undefined
          ? lines[valid.indexOf(entry)]
          : `${entry.name.padEnd(nameWidth)}  ${failMark(style)} invalid configuration: ${entry.error.split("\n")[0] ?? ""}`;
      printLine(`  ${line ?? entry.name}`);
    }
  },
});
