// `mcp-acp config validate`: strict load of manager.json and/or proxy configs and policies;
// exit 1 if any fails.
import { existsSync } from "node:fs";
import { defineCommand } from "citty";
import { ConfigError, listProxyNames, loadManagerConfig, loadProxyConfig } from "../../../lib/config/index.ts";
import { managerConfigPath, proxyConfigPath, proxyPolicyPath, type AppPaths } from "../../../lib/paths/index.ts";
import { PolicyError } from "../../../lib/policy/index.ts";
import { appPaths } from "../../app-paths.ts";
import { failure } from "../../errors.ts";
import { requireProxy } from "../../proxy-lookup.ts";
import { failMark, okMark, printLine, stdoutStyle } from "../../ui/index.ts";
import { policyProblemLines, readPolicyFile } from "../policy/policy-file.ts";
import { optionalTarget, TARGET_ARGS, type ConfigTarget } from "./target.ts";

interface Check {
  kind: "config" | "policy";
  label: string;
  file: string;
  load: () => unknown;
}

/** The error as indented lines: the issue list when there is one, else the message. */
export function problemLines(error: unknown): string[] {
  if (error instanceof PolicyError) return policyProblemLines(error);
  if (error instanceof ConfigError && error.issues.length > 0) {
    return error.issues.map((issue) => `- ${issue.loc === "" ? "(root)" : issue.loc}: ${issue.msg}`);
  }
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n");
}

function checks(paths: AppPaths, target: ConfigTarget | undefined): Check[] {
  const manager: Check = {
    kind: "config",
    label: "Manager config",
    file: managerConfigPath(paths),
    load: () => {
      if (!existsSync(managerConfigPath(paths))) throw new Error("Not found. Run 'mcp-acp init' to create it.");
      return loadManagerConfig(paths);
    },
  };
  const proxy = (name: string): Check[] => [
    { kind: "config", label: `Proxy '${name}'`, file: proxyConfigPath(paths, name), load: () => loadProxyConfig(paths, name) },
    {
      kind: "policy",
      label: `Proxy '${name}' policy`,
      file: proxyPolicyPath(paths, name),
      load: () => readPolicyFile({ name, file: proxyPolicyPath(paths, name) }),
    },
  ];
  if (target?.kind === "manager") return [manager];
  if (target?.kind === "proxy") return proxy(requireProxy(paths, target.name));
  return [manager, ...listProxyNames(paths).flatMap(proxy)];
}

/** "1 of 2 configuration files is invalid.", naming policy files separately. */
function summary(failed: readonly Check[], all: readonly Check[]): string {
  const part = (kind: Check["kind"], noun: string): string | undefined => {
    const bad = failed.filter((c) => c.kind === kind).length;
    const total = all.filter((c) => c.kind === kind).length;
    return bad === 0 ? undefined : `${bad} of ${total} ${noun}${total === 1 ? "" : "s"}`;
  };
  const parts = [part("config", "configuration file"), part("policy", "policy file")].filter((p) => p !== undefined);
  return `${parts.join(" and ")} ${failed.length === 1 ? "is" : "are"} invalid.`;
}

export const validateCommand = defineCommand({
  meta: { name: "validate", description: "Check configuration files strictly (all of them unless one is selected)" },
  args: { ...TARGET_ARGS },
  run({ args }) {
    const paths = appPaths();
    const style = stdoutStyle();
    const list = checks(paths, optionalTarget(args));
    const width = Math.max(...list.map((c) => c.label.length));
    const invalid: Check[] = [];
    for (const check of list) {
      try {
        check.load();
        printLine(`${okMark(style)} ${check.label.padEnd(width)}  ${check.file}`);
      } catch (error) {
        invalid.push(check);
        printLine(`${failMark(style)} ${check.label.padEnd(width)}  ${check.file}`);
        for (const line of problemLines(error)) printLine(`    ${line}`);
      }
    }
    if (invalid.length > 0) {
      const policyHint = invalid.some((c) => c.kind === "policy") ? ", policies with 'mcp-acp policy edit --proxy <name>'" : "";
      throw failure(
        summary(invalid, list),
        `Fix them with 'mcp-acp config edit --manager' or 'mcp-acp config edit --proxy <name>'${policyHint}.`,
      );
    }
  },
});
