// `mcp-acp logs list [--proxy NAME] [--json]`: which log files a proxy has, with sizes, entry counts
// and the backups made by `audit repair` (spec audit.md §10). Without --proxy: every proxy.
import { defineCommand } from "citty";
import { readLogMetadata, type LogFileInfo, type LogMetadata } from "../../../lib/audit/query/index.ts";
import { loadProxyConfig } from "../../../lib/config/index.ts";
import { appPaths } from "../../app-paths.ts";
import { failMark, okMark, printJson, printLine, stdoutStyle, type Style } from "../../ui/index.ts";
import { proxyLogTargets } from "../audit/proxy-logs.ts";
import { countOf, formatSize } from "./format.ts";

interface ProxyLogs {
  name: string;
  metadata: LogMetadata;
}

function debugEnabled(name: string): boolean {
  try {
    return loadProxyConfig(appPaths(), name).log_level === "DEBUG";
  } catch {
    return false; // an unreadable config is reported by 'config validate', not here
  }
}

/** Wire logs are listed when debug logging is on or when they exist anyway. */
function shown(file: LogFileInfo, debug: boolean): boolean {
  return file.type !== "client_wire" && file.type !== "backend_wire" ? true : debug || file.exists;
}

function dashType(file: LogFileInfo): string {
  return file.type.replace(/_/g, "-");
}

function printDetailed(p: ProxyLogs, style: Style): void {
  printLine(style.bold(`Proxy '${p.name}'`) + `  ${p.metadata.logDir}${p.metadata.debugEnabled ? "  (log_level DEBUG)" : ""}`);
  for (const folder of p.metadata.folders) {
    for (const file of folder.files) {
      if (!shown(file, p.metadata.debugEnabled)) continue;
      printLine();
      printLine(`  ${style.bold(dashType(file))}: ${file.description}`);
      const state = file.exists ? `exists (${formatSize(file.sizeBytes ?? 0)}, ${countOf(file.entryCount ?? 0, "entry", "entries")})` : "not created";
      printLine(`    ${file.exists ? okMark(style) : failMark(style)} ${state}`);
      printLine(`    ${file.path}`);
      for (const backup of file.backups) printLine(`    backup: ${backup.filename} (${formatSize(backup.sizeBytes)})`);
    }
  }
}

function printBrief(p: ProxyLogs, style: Style): void {
  printLine(style.bold(`Proxy '${p.name}'`) + `  ${p.metadata.logDir}`);
  const files = p.metadata.folders.flatMap((f) => f.files).filter((f) => shown(f, p.metadata.debugEnabled));
  const width = Math.max(...files.map((f) => dashType(f).length));
  for (const file of files) {
    const backups = file.backups.length > 0 ? style.dim(`  [${countOf(file.backups.length, "backup")}]`) : "";
    printLine(`  ${file.exists ? okMark(style) : failMark(style)} ${dashType(file).padEnd(width)}  ${file.path}${backups}`);
  }
}

function metadataJson(p: ProxyLogs): Record<string, unknown> {
  return {
    proxy: p.name,
    log_dir: p.metadata.logDir,
    debug_enabled: p.metadata.debugEnabled,
    folders: p.metadata.folders.map((folder) => ({
      name: folder.name,
      files: folder.files.map((f) => ({
        type: f.type,
        file_key: f.fileKey,
        description: f.description,
        path: f.path,
        exists: f.exists,
        size_bytes: f.sizeBytes,
        entry_count: f.entryCount,
        backups: f.backups.map((b) => ({ filename: b.filename, path: b.path, size_bytes: b.sizeBytes, timestamp: b.createdAt })),
      })),
    })),
    available_policy_versions: p.metadata.availablePolicyVersions,
    available_config_versions: p.metadata.availableConfigVersions,
  };
}

export const listCommand = defineCommand({
  meta: { name: "list", description: "List a proxy's log files with sizes, entry counts and backups" },
  args: {
    proxy: { type: "string", alias: "p", description: "Only this proxy, in detail (default: every proxy)", valueHint: "name" },
    json: { type: "boolean", description: "Print one JSON document" },
  },
  async run({ args }) {
    const targets = proxyLogTargets(appPaths(), args.proxy);
    const detailed = args.proxy !== undefined;
    const proxies: ProxyLogs[] = [];
    for (const t of targets) {
      proxies.push({ name: t.name, metadata: await readLogMetadata(t.logDir, { debugEnabled: debugEnabled(t.name), countEntries: detailed || args.json === true }) });
    }
    if (args.json === true) {
      printJson({ proxies: proxies.map(metadataJson) });
      return;
    }
    if (proxies.length === 0) {
      printLine("No proxies configured; there are no logs. Add one with 'mcp-acp proxy add'.");
      return;
    }
    const style = stdoutStyle();
    proxies.forEach((p, i) => {
      if (i > 0) printLine();
      if (detailed) printDetailed(p, style);
      else printBrief(p, style);
    });
  },
});
