// The rule `policy add` appends, from `--rule '<json>'` or from flags. Only the shape of the
// command line is checked here (usage errors, exit 2); the rule itself is validated with the
// whole policy, so its problems are reported by the same validator the proxy uses.
import type { ArgsDef } from "citty";
import { usageError } from "../../errors.ts";

/** Flag → rule field it fills: the common conditions; `--rule` covers everything else. */
export const RULE_FLAG_ARGS = {
  effect: { type: "enum", options: ["allow", "deny", "hitl"], description: "The rule's effect" },
  id: { type: "string", description: "Rule id (default: generated from effect and conditions)", valueHint: "id" },
  description: { type: "string", description: "What the rule is for", valueHint: "text" },
  tool: { type: "string", description: "conditions.tool_name: tool name globs, comma separated", valueHint: "glob,…" },
  path: { type: "string", description: "conditions.path_pattern: one path glob, e.g. '/tmp/**'", valueHint: "glob" },
  "source-path": { type: "string", description: "conditions.source_path: one path glob", valueHint: "glob" },
  "dest-path": { type: "string", description: "conditions.dest_path: one path glob", valueHint: "glob" },
  operations: { type: "string", description: "conditions.operations: read,write,delete", valueHint: "op,…" },
  extension: { type: "string", description: "conditions.extension: e.g. '.key,.pem'", valueHint: "ext,…" },
  scheme: { type: "string", description: "conditions.scheme: URI schemes, e.g. 'file'", valueHint: "scheme,…" },
  backend: { type: "string", description: "conditions.backend_id: backend server name globs", valueHint: "glob,…" },
  "resource-type": { type: "string", description: "conditions.resource_type: tool, resource, prompt or server", valueHint: "type" },
  method: { type: "string", description: "conditions.mcp_method: MCP method globs, e.g. 'resources/read'", valueHint: "glob,…" },
  subject: { type: "string", description: "conditions.subject_id: user ids", valueHint: "id,…" },
  "side-effects": { type: "string", description: "conditions.side_effects: e.g. 'fs_write,code_exec'", valueHint: "effect,…" },
  "cache-side-effects": { type: "string", description: "cache_side_effects (hitl rules only)", valueHint: "effect,…" },
} satisfies ArgsDef;

type RuleFlag = keyof typeof RULE_FLAG_ARGS;
export type RuleFlags = Partial<Record<RuleFlag, string | undefined>>;

type ValueKind = "one" | "list" | "enum-list";

/** Where each condition flag goes and how its value is split. */
const CONDITION_FLAGS: readonly [flag: RuleFlag, key: string, kind: ValueKind][] = [
  ["tool", "tool_name", "list"],
  ["path", "path_pattern", "one"],
  ["source-path", "source_path", "one"],
  ["dest-path", "dest_path", "one"],
  ["operations", "operations", "enum-list"],
  ["extension", "extension", "list"],
  ["scheme", "scheme", "list"],
  ["backend", "backend_id", "list"],
  ["resource-type", "resource_type", "one"],
  ["method", "mcp_method", "list"],
  ["subject", "subject_id", "list"],
  ["side-effects", "side_effects", "enum-list"],
];

function splitItems(value: string, flag: string): string[] {
  const items = value
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");
  if (items.length === 0) throw usageError(`Option --${flag} needs at least one value (comma separated).`);
  return items;
}

/** One item stays a string (as a person would write it in the file); several become a list. */
function conditionValue(value: string, flag: string, kind: ValueKind): string | string[] {
  if (kind === "one") return value;
  const items = splitItems(value, flag);
  if (kind === "enum-list") return items;
  return items.length === 1 ? (items[0] as string) : items;
}

/** The rule described by flags, keys in the usual file order; `--effect` is required. */
export function ruleFromFlags(flags: RuleFlags): Record<string, unknown> {
  if (flags.effect === undefined) {
    throw usageError("Missing required option --effect (allow, deny or hitl), or give the whole rule with --rule '<json>'.");
  }
  const conditions: Record<string, unknown> = {};
  for (const [flag, key, kind] of CONDITION_FLAGS) {
    const value = flags[flag];
    if (value !== undefined) conditions[key] = conditionValue(value, flag, kind);
  }
  const rule: Record<string, unknown> = {};
  if (flags.id !== undefined) rule["id"] = flags.id;
  if (flags.description !== undefined) rule["description"] = flags.description;
  rule["effect"] = flags.effect;
  rule["conditions"] = conditions;
  const cache = flags["cache-side-effects"];
  if (cache !== undefined) rule["cache_side_effects"] = splitItems(cache, "cache-side-effects");
  return rule;
}

/** The `--rule` value as parsed JSON; malformed JSON is a usage error. */
export function ruleFromJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw usageError(`Invalid value for --rule: not valid JSON (${detail}). Quote it for the shell, e.g. --rule '{"effect": "deny", "conditions": {"tool_name": "bash"}}'.`);
  }
}

/** `--rule '<json>'` or flags, never both. */
export function ruleInput(json: string | undefined, flags: RuleFlags): unknown {
  const given = (Object.keys(RULE_FLAG_ARGS) as RuleFlag[]).filter((flag) => flags[flag] !== undefined);
  if (json === undefined) {
    if (given.length === 0) {
      throw usageError("Describe the rule with --rule '<json>', or with --effect and condition options such as --tool or --path.");
    }
    return ruleFromFlags(flags);
  }
  if (given.length > 0) {
    throw usageError(`--rule cannot be combined with ${given.map((f) => `--${f}`).join(", ")}: put every field in the JSON.`);
  }
  return ruleFromJson(json);
}
