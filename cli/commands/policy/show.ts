// `mcp-acp policy show --proxy NAME [--json]`: a proxy's validated policy, as a summary or as
// the normalised document (defaults applied, every rule with its id).
import { defineCommand } from "citty";
import { policyToDocument } from "../../../lib/policy/index.ts";
import { appPaths } from "../../app-paths.ts";
import { printJson, printLine, stdoutStyle } from "../../ui/index.ts";
import { printable, ruleRows } from "./describe-rule.ts";
import { policyLocation, requirePolicy, type LoadedPolicy } from "./policy-file.ts";
import { PROXY_OPTION } from "./proxy-option.ts";

/** Indexes of rules whose id is generated (none in the file), as the proxy would name them. */
function generatedIdIndexes(document: Record<string, unknown>): Set<number> {
  const rules = document["rules"];
  const indexes = new Set<number>();
  if (!Array.isArray(rules)) return indexes;
  rules.forEach((rule: unknown, i) => {
    const id = typeof rule === "object" && rule !== null ? (rule as Record<string, unknown>)["id"] : undefined;
    if (id === undefined || id === null || id === "") indexes.add(i);
  });
  return indexes;
}

function printSummary(name: string, loaded: LoadedPolicy): void {
  const style = stdoutStyle();
  const { policy } = loaded;
  printLine(style.bold(`Policy of proxy '${name}'`) + ` (${loaded.file})`);
  printLine(`  Default action:  ${policy.default_action} (requests that match no rule are denied)`);
  printLine(`  Combining:       ${policy.combining}`);
  printLine(`  Version:         ${printable(policy.version)}`);
  printLine(`  Rules:           ${policy.rules.length}`);
  if (policy.rules.length === 0) {
    printLine();
    printLine("  No rules: every action is denied. Add one with 'mcp-acp policy add'.");
    return;
  }
  const generated = generatedIdIndexes(loaded.document);
  policy.rules.forEach((rule, i) => {
    printLine();
    printLine(`  ${style.bold(printable(rule.id))}${generated.has(i) ? style.dim(" (generated id)") : ""}`);
    const rows = ruleRows(rule);
    const width = Math.max(...rows.map(([label]) => label.length)) + 1;
    for (const [label, value] of rows) printLine(`    ${`${label}:`.padEnd(width)} ${value}`);
  });
}

export const showCommand = defineCommand({
  meta: { name: "show", description: "Show a proxy's policy: defaults and every rule" },
  args: {
    ...PROXY_OPTION,
    json: { type: "boolean", description: "Print the policy as one JSON document (defaults applied, ids filled in)" },
  },
  run({ args }) {
    const at = policyLocation(appPaths(), args.proxy);
    const loaded = requirePolicy(at);
    if (args.json === true) {
      printJson(policyToDocument(loaded.policy));
      return;
    }
    printSummary(at.name, loaded);
  },
});
