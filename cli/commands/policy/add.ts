// `mcp-acp policy add --proxy NAME (--rule '<json>' | --effect E [condition flags])`: appends
// one rule. The whole resulting policy is validated before anything is written, so the file is
// either the old one or a valid new one (atomic write, 0600).
import { defineCommand } from "citty";
import { writeFileAtomic } from "../../../lib/config/index.ts";
import { formatPolicyDocument } from "../../../lib/policy/index.ts";
import { appPaths } from "../../app-paths.ts";
import { failure } from "../../errors.ts";
import { printLine, printSuccess } from "../../ui/index.ts";
import { AppendProblem, appendRule } from "./append-rule.ts";
import {
  indentLines,
  parsePolicyDocument,
  policyLocation,
  policyProblemLines,
  readPolicyText,
  RELOAD_NOTE,
  requirePolicy,
} from "./policy-file.ts";
import { PROXY_OPTION } from "./proxy-option.ts";
import { RULE_FLAG_ARGS, ruleInput } from "./rule-input.ts";

export const addCommand = defineCommand({
  meta: { name: "add", description: "Add a rule to a proxy's policy (validated with the whole policy before saving)" },
  args: {
    ...PROXY_OPTION,
    rule: {
      type: "string",
      description: `The whole rule as JSON, e.g. '{"effect": "deny", "conditions": {"tool_name": "bash"}}'`,
      valueHint: "json",
    },
    ...RULE_FLAG_ARGS,
  },
  run({ args }) {
    const rule = ruleInput(args.rule, {
      effect: args.effect,
      id: args.id,
      description: args.description,
      tool: args.tool,
      path: args.path,
      "source-path": args["source-path"],
      "dest-path": args["dest-path"],
      operations: args.operations,
      extension: args.extension,
      scheme: args.scheme,
      backend: args.backend,
      "resource-type": args["resource-type"],
      method: args.method,
      subject: args.subject,
      "side-effects": args["side-effects"],
      "cache-side-effects": args["cache-side-effects"],
    });
    const at = policyLocation(appPaths(), args.proxy);
    const current = requirePolicy(at);
    const result = appendRule(current, rule);

    if (!result.ok && result.problem === AppendProblem.DuplicateId) {
      const existing = `rules.${result.existingIndex}`;
      throw result.generatedId
        ? failure(
            `An identical rule already exists: ${existing} has the same effect and conditions (id '${result.id}'). ${at.file} was not changed.`,
            "Rules without an id are named after their effect and conditions; give the new rule its own id (--id, or \"id\" in --rule) if it really differs.",
          )
        : failure(`Rule id '${result.id}' is already used by ${existing}. ${at.file} was not changed.`, "Choose another id.");
    }
    if (!result.ok) {
      throw failure(
        `The new rule is not valid; ${at.file} was not changed:\n${indentLines(policyProblemLines(result.error))}`,
        `In these locations the new rule is rules.${current.policy.rules.length}.`,
      );
    }

    const text = formatPolicyDocument(result.document);
    // Never write what the proxy would refuse to load: check the exact text once more.
    parsePolicyDocument(text);
    if (readPolicyText(at.file) !== current.text) {
      throw failure(`${at.file} was changed by someone else meanwhile; the rule was not added.`, "Run the command again.");
    }
    writeFileAtomic(at.file, text, 0o600);
    printSuccess(`Added rule ${result.id} to proxy '${at.name}' (${at.file})`);
    printLine(RELOAD_NOTE);
  },
});
