// `mcp-acp config validate`: strict load of manager.json and/or proxy configs; exit 1 if any fails.
import { existsSync } from "node:fs";
import { defineCommand } from "citty";
import { ConfigError, listProxyNames, loadManagerConfig, loadProxyConfig } from "../../../lib/config/index.ts";
import { managerConfigPath, proxyConfigPath, type AppPaths } from "../../../lib/paths/index.ts";
import { appPaths } from "../../app-paths.ts";
import { failure } from "../../errors.ts";
import { requireProxy } from "../../proxy-lookup.ts";
import { failMark, okMark, printLine, stdoutStyle } from "../../ui/index.ts";
import { optionalTarget, TARGET_ARGS, type ConfigTarget } from "./target.ts";

interface Check {
  label: string;
  file: string;
  load: () => unknown;
}

/** The error as indented lines: the issue list when there is one, else the message. */
export function problemLines(error: unknown): string[] {
  if (error instanceof ConfigError && error.issues.length > 0) {
    return error.issues.map((issue) => `- ${issue.loc === "" ? "(root)" : issue.loc}: ${issue.msg}`);
  }
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n");
}

function checks(paths: AppPaths, target: ConfigTarget | undefined): Check[] {
  const manager: Check = {
    label: "Manager config",
    file: managerConfigPath(paths),
    load: () => {
      if (!existsSync(managerConfigPath(paths))) throw new Error("Not found. Run 'mcp-acp init' to create it.");
      return loadManagerConfig(paths);
    },
  };
  const proxy = (name: string): Check => ({
    label: `Proxy '${name}'`,
    file: proxyConfigPath(paths, name),
    load: () => loadProxyConfig(paths, name),
  });
  if (target?.kind === "manager") return [manager];
  if (target?.kind === "proxy") return [proxy(requireProxy(paths, target.name))];
  return [manager, ...listProxyNames(paths).map(proxy)];
}

export const validateCommand = defineCommand({
  meta: { name: "validate", description: "Check configuration files strictly (all of them unless one is selected)" },
  args: { ...TARGET_ARGS },
  run({ args }) {
    const paths = appPaths();
    const style = stdoutStyle();
    const list = checks(paths, optionalTarget(args));
    const width = Math.max(...list.map((c) => c.label.length));
    let invalid = 0;
    for (const check of list) {
      try {
        check.load();
        printLine(`${okMark(style)} ${check.label.padEnd(width)}  ${check.file}`);
      } catch (error) {
        invalid++;
        printLine(`${failMark(style)} ${check.label.padEnd(width)}  ${check.file}`);
        for (const line of problemLines(error)) printLine(`    ${line}`);
      }
    }
    if (invalid > 0) {
      throw failure(
        `${invalid} of ${list.length} configuration file${list.length === 1 ? "" : "s"} ${invalid === 1 ? "is" : "are"} invalid.`,
        "Fix them with 'mcp-acp config edit --manager' or 'mcp-acp config edit --proxy <name>'.",
      );
    }
  },
});
