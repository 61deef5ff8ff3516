// `mcp-acp policy validate [--proxy NAME]`: strict check of one or every proxy's policy.json,
// exactly as the proxy would load it; exit 1 when any is missing or invalid.
import { defineCommand } from "citty";
import { listProxyNames } from "../../../lib/config/index.ts";
import { proxyPolicyPath } from "../../../lib/paths/index.ts";
import { appPaths } from "../../app-paths.ts";
import { failure } from "../../errors.ts";
import { failMark, okMark, printLine, stdoutStyle } from "../../ui/index.ts";
import { policyLocation, policyProblemLines, readPolicyFile, type PolicyLocation } from "./policy-file.ts";
import { OPTIONAL_PROXY_OPTION } from "./proxy-option.ts";

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

export const validateCommand = defineCommand({
  meta: { name: "validate", description: "Check policy files strictly (every proxy's unless --proxy is given)" },
  args: { ...OPTIONAL_PROXY_OPTION },
  run({ args }) {
    const paths = appPaths();
    const locations: PolicyLocation[] =
      args.proxy !== undefined
        ? [policyLocation(paths, args.proxy)]
        : listProxyNames(paths).map((name) => ({ name, file: proxyPolicyPath(paths, name) }));
    if (locations.length === 0) {
      printLine("No proxies configured; there is no policy to validate.");
      printLine("  Add one with: mcp-acp proxy add");
      return;
    }
    const style = stdoutStyle();
    const label = (at: PolicyLocation): string => `Proxy '${at.name}'`;
    const width = Math.max(...locations.map((at) => label(at).length));
    const invalid: string[] = [];
    for (const at of locations) {
      try {
        const { policy } = readPolicyFile(at);
        printLine(`${okMark(style)} ${label(at).padEnd(width)}  ${at.file}  (${plural(policy.rules.length, "rule")})`);
      } catch (error) {
        invalid.push(at.name);
        printLine(`${failMark(style)} ${label(at).padEnd(width)}  ${at.file}`);
        for (const line of policyProblemLines(error)) printLine(`    ${line}`);
      }
    }
    if (invalid.length > 0) {
      const which = invalid.length === 1 ? `--proxy ${invalid[0] ?? ""}` : "--proxy <name>";
      throw failure(
        `${invalid.length} of ${plural(locations.length, "policy file")} ${invalid.length === 1 ? "is" : "are"} invalid.`,
        `Fix ${invalid.length === 1 ? "it" : "them"} with 'mcp-acp policy edit ${which}'.`,
      );
    }
  },
});
