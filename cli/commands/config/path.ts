// `mcp-acp config path`: one configuration file's path, or an overview of every path.
import { existsSync } from "node:fs";
import { defineCommand } from "citty";
import { defaultManagerConfig, listProxyNames, loadManagerConfig } from "../../../lib/config/index.ts";
import { logRoot, managerConfigPath, proxyConfigPath, proxyPolicyPath, type AppPaths } from "../../../lib/paths/index.ts";
import { appPaths } from "../../app-paths.ts";
import { failMark, okMark, printLine, stdoutStyle } from "../../ui/index.ts";
import { optionalTarget, TARGET_ARGS } from "./target.ts";
import { targetFile } from "./target-files.ts";

function configuredLogDir(paths: AppPaths): string {
  try {
    return loadManagerConfig(paths).log_dir;
  } catch {
    return defaultManagerConfig(paths).log_dir;
  }
}

function overview(paths: AppPaths): [label: string, path: string][] {
  const rows: [string, string][] = [
    ["Config directory", paths.configDir],
    ["Manager config", managerConfigPath(paths)],
  ];
  for (const name of listProxyNames(paths)) {
    rows.push([`Proxy '${name}' config`, proxyConfigPath(paths, name)], [`Proxy '${name}' policy`, proxyPolicyPath(paths, name)]);
  }
  rows.push(["Log directory", logRoot(configuredLogDir(paths))], ["Runtime directory", paths.runtimeDir]);
  return rows;
}

export const pathCommand = defineCommand({
  meta: { name: "path", description: "Print a configuration file's path, or all paths with whether they exist" },
  args: { ...TARGET_ARGS },
  run({ args }) {
    const paths = appPaths();
    const target = optionalTarget(args);
    if (target !== undefined) {
      printLine(targetFile(paths, target).file);
      return;
    }
    const style = stdoutStyle();
    const rows = overview(paths);
    const width = Math.max(...rows.map(([label]) => label.length));
    for (const [label, path] of rows) {
      printLine(`${existsSync(path) ? okMark(style) : failMark(style)} ${label.padEnd(width)}  ${path}`);
    }
  },
});
