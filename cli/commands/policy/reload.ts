// `mcp-acp policy reload --proxy NAME [--json]`: asks the running proxy to re-read policy.json
// now and prints what it did. A proxy that is not running is an error (exit 1) naming the start
// command: the original only warned, but a reload that reached nothing should not look fine.
import { toJson } from "@bufbuild/protobuf";
import { defineCommand } from "citty";
import { PolicyReloadResultSchema, PolicyReloadStatus, type PolicyReloadResult } from "../../../lib/gen/mcpacp/common/v1/runtime_pb.ts";
import { appPaths } from "../../app-paths.ts";
import { errorText, withRunningProxy } from "../../control-client.ts";
import { CliError, EXIT_ERROR, EXIT_OK, failure } from "../../errors.ts";
import { printJson, printLine, printSuccess } from "../../ui/index.ts";
import { countOf } from "../logs/format.ts";
import { printable } from "./describe-rule.ts";
import { editHint, indentLines, policyLocation } from "./policy-file.ts";
import { PROXY_OPTION } from "./proxy-option.ts";

/** The reload's deadline (spec: the CLI waits 10 s for a reload). */
export const RELOAD_TIMEOUT_MS = 10_000;

const FAILURES: Partial<Record<PolicyReloadStatus, string>> = {
  [PolicyReloadStatus.VALIDATION_ERROR]: "the policy is not valid",
  [PolicyReloadStatus.FILE_ERROR]: "the policy file could not be read",
};

function problemLines(result: PolicyReloadResult): string[] {
  const error = result.error;
  if (error === undefined) return ["(the proxy gave no reason)"];
  const lines = error.message.split("\n").map((line) => printable(line));
  for (const v of error.violations) lines.push(`- ${printable(v.field)}: ${printable(v.description)}`);
  return lines;
}

function printOutcome(name: string, result: PolicyReloadResult): void {
  const version = printable(result.policyVersion);
  const rules = countOf(result.newRulesCount, "rule");
  const change = result.oldRulesCount === result.newRulesCount ? "" : ` (was ${result.oldRulesCount})`;
  printSuccess(`Reloaded the policy of proxy '${name}': version ${version}, ${rules}${change}.`);
  if (result.approvalsCleared > 0) printLine(`  Cleared ${countOf(result.approvalsCleared, "cached approval")}.`);
}

export const reloadCommand = defineCommand({
  meta: {
    name: "reload",
    description:
      "Make a running proxy re-read its policy.json now and show the result (the proxy also reloads it by itself " +
      "when the file changes). Exit 1 when the new policy is refused (the old one stays in force) or the proxy is not running",
  },
  args: {
    ...PROXY_OPTION,
    json: { type: "boolean", description: "Print the reload result as one JSON document" },
  },
  async run({ args }) {
    const paths = appPaths();
    const at = policyLocation(paths, args.proxy);
    const result = await withRunningProxy(paths, at.name, async (connection) => {
      try {
        return (await connection.call((client) => client.reloadPolicy({}, { timeoutMs: RELOAD_TIMEOUT_MS }))).result;
      } catch (error) {
        if (error instanceof CliError) throw error;
        throw failure(`Cannot reload the policy of proxy '${at.name}': ${errorText(error)}`);
      }
    });
    if (result === undefined) throw failure(`Proxy '${at.name}' answered the reload without a result.`);
    const ok = result.status === PolicyReloadStatus.SUCCESS;
    if (args.json === true) {
      printJson({ proxy: at.name, ...(toJson(PolicyReloadResultSchema, result, { useProtoFieldName: true, alwaysEmitImplicit: true }) as object) });
      return ok ? EXIT_OK : EXIT_ERROR;
    }
    if (!ok) {
      const what = FAILURES[result.status] ?? "the proxy refused it";
      throw failure(
        `Policy reload of proxy '${at.name}' failed: ${what} (${at.file}):\n${indentLines(problemLines(result))}`,
        `The proxy keeps policy version ${printable(result.policyVersion)} (${countOf(result.oldRulesCount, "rule")}). ${editHint(at.name)}`,
      );
    }
    printOutcome(at.name, result);
    return EXIT_OK;
  },
});
