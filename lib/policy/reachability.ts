// Load-time check that a rule's conditions can all be known for at least one kind of request
// (design §4). Attributes exist only for some methods: `tool_name` only on tools/call, `scheme`
// only on resources/*, paths on both. A rule combining, say, `tool_name` with `scheme`, or
// `mcp_method: "prompts/get"` with `path_pattern`, could never match; that is reported as an
// error instead of becoming a silent deny.

import { isLiteralShellGlob, shellGlobToRegExp } from "./glob.ts";
import type { IssueList } from "./issues.ts";
import { CONDITION_KEYS, type ConditionKey, type Conditions, RESOURCE_TYPES, type ResourceType } from "./model.ts";
import { resourceTypeForMethod } from "./classify.ts";

type Kinds = ReadonlySet<ResourceType>;

const ALL: Kinds = new Set(RESOURCE_TYPES);
const TOOL: Kinds = new Set<ResourceType>(["tool"]);
const TOOL_OR_RESOURCE: Kinds = new Set<ResourceType>(["tool", "resource"]);
const RESOURCE: Kinds = new Set<ResourceType>(["resource"]);

/** Request kinds for which each attribute is known; null means "every kind". */
const ATTRIBUTE_KINDS: Record<ConditionKey, Kinds | null> = {
  tool_name: TOOL,
  operations: TOOL,
  side_effects: TOOL,
  arguments: TOOL,
  source_path: TOOL,
  dest_path: TOOL,
  path_pattern: TOOL_OR_RESOURCE,
  path_regex: TOOL_OR_RESOURCE,
  extension: TOOL_OR_RESOURCE,
  scheme: RESOURCE,
  backend_id: null,
  subject_id: null,
  resource_type: null,
  mcp_method: null,
};

// Method scope first, so the blame falls on the attribute that does not fit the method.
const CHECK_ORDER: readonly ConditionKey[] = [
  "mcp_method",
  "resource_type",
  ...CONDITION_KEYS.filter((k) => k !== "mcp_method" && k !== "resource_type"),
];

const KIND_LABEL: Record<ResourceType, string> = {
  tool: "tools/call",
  resource: "resources/*",
  prompt: "prompts/*",
  server: "other methods",
};

function describe(kinds: Kinds): string {
  return RESOURCE_TYPES.filter((k) => kinds.has(k))
    .map((k) => KIND_LABEL[k])
    .join(" or ");
}

function literalPrefix(pattern: string): string {
  const cut = pattern.search(/[*?[]/);
  return cut < 0 ? pattern : pattern.slice(0, cut);
}

function compatible(prefix: string, namespace: string): boolean {
  return prefix.startsWith(namespace) || namespace.startsWith(prefix);
}

/** Over-approximates the request kinds a method glob can match, so it never reports falsely. */
export function methodPatternKinds(pattern: string): Kinds {
  if (isLiteralShellGlob(pattern)) return new Set([resourceTypeForMethod(pattern)]);
  const kinds = new Set<ResourceType>();
  if (shellGlobToRegExp(pattern).test("tools/call")) kinds.add("tool");
  const prefix = literalPrefix(pattern);
  if (compatible(prefix, "resources/")) kinds.add("resource");
  if (compatible(prefix, "prompts/")) kinds.add("prompt");
  if (!prefix.startsWith("resources/") && !prefix.startsWith("prompts/")) kinds.add("server");
  return kinds;
}

function intersect(a: Kinds, b: Kinds): Kinds {
  return new Set([...a].filter((k) => b.has(k)));
}

function conditionKinds(key: ConditionKey, conditions: Conditions): Kinds {
  if (key === "mcp_method") {
    const raw = conditions.mcp_method;
    const patterns = raw === undefined ? [] : typeof raw === "string" ? [raw] : raw;
    // An empty list never matches anything; leave that to the evaluator rather than erroring.
    if (patterns.length === 0) return ALL;
    const kinds = new Set<ResourceType>();
    for (const p of patterns) for (const k of methodPatternKinds(p)) kinds.add(k);
    return kinds;
  }
  if (key === "resource_type") {
    const type = conditions.resource_type;
    return type === undefined ? ALL : new Set([type]);
  }
  return ATTRIBUTE_KINDS[key] ?? ALL;
}

/** Request kinds a rule can apply to (ALL when unconstrained). */
export function ruleKinds(conditions: Conditions): Kinds {
  let reach = ALL;
  for (const key of CONDITION_KEYS) {
    if (conditions[key] !== undefined) reach = intersect(reach, conditionKinds(key, conditions));
  }
  return reach;
}

/** Adds one issue when no request kind has all the attributes the rule tests. */
export function checkReachability(conditions: Conditions, loc: string, issues: IssueList): void {
  let reach = ALL;
  const limiting: ConditionKey[] = [];
  for (const key of CHECK_ORDER) {
    if (conditions[key] === undefined) continue;
    const kinds = conditionKinds(key, conditions);
    const next = intersect(reach, kinds);
    if (next.size === 0) {
      const by = limiting.join(" and ");
      issues.add(
        `${loc}.${key}`,
        "unreachable_condition",
        `${key} applies only to ${describe(kinds)} requests, but ${by} ${limiting.length > 1 ? "limit" : "limits"} ` +
          `this rule to ${describe(reach)}; no request has both, so the rule could never match. Split it into separate rules.`,
      );
      return;
    }
    if (kinds.size < ALL.size) limiting.push(key);
    reach = next;
  }
}
