// Parses an untrusted JSON document into a Policy, reporting every problem at once as
// `<dotted.loc>: <msg>` issues. Strict: unknown keys are errors at every level, `null` equals an
// absent key (except `rules: null`), blank strings are rejected, and rules without an id get the
// stable generated id of spec §4.

import { PolicyError, PolicyErrorCode } from "./errors.ts";
import { IssueList, describeJsonType, isPlainRecord, listAllowed } from "./issues.ts";
import {
  COMBINING_ALGORITHMS,
  CONDITION_KEYS,
  type CombiningAlgorithm,
  EFFECTS,
  type Effect,
  type Policy,
  type Rule,
  SIDE_EFFECTS,
  type SideEffect,
} from "./model.ts";
import { checkReachability } from "./reachability.ts";
import { generateRuleId } from "./rule-id.ts";
import { validateConditions } from "./validate-conditions.ts";

const POLICY_KEYS = ["$schema", "version", "default_action", "combining", "rules"] as const;
const RULE_KEYS = ["id", "description", "effect", "conditions", "cache_side_effects"] as const;
const CONDITION_KEY_SET: ReadonlySet<string> = new Set(CONDITION_KEYS);

interface RuleDraft {
  rule: Rule;
  loc: string;
  /** True when the id was generated (absent, null or ""). */
  generated: boolean;
}

function rejectUnknownKeys(value: Record<string, unknown>, allowed: readonly string[], loc: string, issues: IssueList): void {
  for (const key of Object.keys(value)) {
    if (allowed.includes(key)) continue;
    const hint = CONDITION_KEY_SET.has(key) ? ` ("${key}" is a condition: put it inside "conditions")` : "";
    issues.add(loc === "" ? key : `${loc}.${key}`, "unknown_key", `unknown key${hint}; allowed keys: ${listAllowed(allowed)}`);
  }
}

function validateEffect(value: unknown, loc: string, issues: IssueList): Effect | undefined {
  if (typeof value === "string" && (EFFECTS as readonly string[]).includes(value)) return value as Effect;
  if (value === undefined || value === null) issues.add(loc, "missing", `is required: one of ${listAllowed(EFFECTS)}`);
  else issues.add(loc, "enum", `must be one of ${listAllowed(EFFECTS)} (lowercase), got ${describeJsonType(value)}`);
  return undefined;
}

function validateCacheSideEffects(value: unknown, effect: Effect | undefined, loc: string, issues: IssueList): SideEffect[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (effect !== undefined && effect !== "hitl") {
    issues.add(loc, "invalid_value", `only hitl rules may set cache_side_effects (this rule's effect is "${effect}")`);
    return undefined;
  }
  if (!Array.isArray(value)) {
    issues.add(loc, "type", `must be a list of side effects, e.g. ["fs_read"], got ${describeJsonType(value)}`);
    return undefined;
  }
  let ok = true;
  value.forEach((item, i) => {
    if (typeof item !== "string" || !(SIDE_EFFECTS as readonly string[]).includes(item)) {
      issues.add(`${loc}.${i}`, "enum", `must be one of ${listAllowed(SIDE_EFFECTS)}, got ${describeJsonType(item)}`);
      ok = false;
    }
  });
  return ok ? (value as SideEffect[]) : undefined;
}

function validateRuleId(value: unknown, loc: string, issues: IssueList): string | null | undefined {
  if (value === undefined || value === null || value === "") return null;
  if (typeof value !== "string") {
    issues.add(loc, "type", `must be a string, got ${describeJsonType(value)}`);
    return undefined;
  }
  if (value.trim() === "") {
    issues.add(loc, "empty_string", "must not be only whitespace (omit it to get a generated id)");
    return undefined;
  }
  return value;
}

function validateRule(value: unknown, loc: string, issues: IssueList): RuleDraft | undefined {
  if (!isPlainRecord(value)) {
    issues.add(loc, "type", `must be an object with "effect" and "conditions", got ${describeJsonType(value)}`);
    return undefined;
  }
  const before = issues.count;
  rejectUnknownKeys(value, RULE_KEYS, loc, issues);
  const id = validateRuleId(value["id"], `${loc}.id`, issues);
  const description = value["description"];
  if (description !== undefined && description !== null && typeof description !== "string") {
    issues.add(`${loc}.description`, "type", `must be a string, got ${describeJsonType(description)}`);
  }
  const effect = validateEffect(value["effect"], `${loc}.effect`, issues);
  const checked = validateConditions(value["conditions"], `${loc}.conditions`, issues);
  if (checked?.valid === true) checkReachability(checked.conditions, `${loc}.conditions`, issues);
  const cache = validateCacheSideEffects(value["cache_side_effects"], effect, `${loc}.cache_side_effects`, issues);
  if (issues.count !== before || effect === undefined || checked === undefined || id === undefined) return undefined;

  const rule: Rule = {
    id: id ?? generateRuleId(effect, checked.conditions),
    effect,
    conditions: checked.conditions,
  };
  if (typeof description === "string") rule.description = description;
  if (cache !== undefined) rule.cache_side_effects = cache;
  return { rule, loc, generated: id === null };
}

function checkIds(drafts: RuleDraft[], allRulesValid: boolean, issues: IssueList): void {
  const userIds = new Map<string, string[]>();
  for (const d of drafts) {
    if (d.generated) continue;
    userIds.set(d.rule.id, [...(userIds.get(d.rule.id) ?? []), `${d.loc}.id`]);
  }
  const duplicates = [...userIds].filter(([, locs]) => locs.length > 1);
  if (duplicates.length > 0) {
    const names = duplicates.map(([id]) => JSON.stringify(id)).join(", ");
    const where = duplicates.flatMap(([, locs]) => locs).join(", ");
    issues.add("rules", "duplicate_id", `Duplicate rule IDs: {${names}} at ${where}; give each rule a unique id`);
    return;
  }
  // Collisions are judged on the final id set, which needs every rule to be valid.
  if (!allRulesValid) return;
  const seen = new Map<string, string>();
  for (const d of drafts) {
    const first = seen.get(d.rule.id);
    if (first === undefined) {
      seen.set(d.rule.id, d.loc);
      continue;
    }
    issues.add(
      `${d.loc}.id`,
      "id_collision",
      `Rule ID collision: "${d.rule.id}" is also the id of ${first}. Rules without an id are named after their ` +
        "effect and conditions, so this rule repeats another one: remove the duplicate or give the rules distinct ids",
    );
  }
}

function validateVersion(value: unknown, issues: IssueList): string {
  if (value === undefined || value === null) return "1";
  if (typeof value === "string" && value.trim() !== "") return value;
  issues.add("version", "type", `must be a non-empty string such as "1", got ${describeJsonType(value)}`);
  return "1";
}

function validateDefaultAction(value: unknown, issues: IssueList): void {
  if (value === undefined || value === null || value === "deny") return;
  issues.add(
    "default_action",
    "enum",
    `only "deny" is supported (requests that match no rule are always denied), got ${describeJsonType(value)}`,
  );
}

function validateCombining(value: unknown, issues: IssueList): CombiningAlgorithm {
  if (value === undefined || value === null) return "deny-overrides";
  if (typeof value === "string" && (COMBINING_ALGORITHMS as readonly string[]).includes(value)) return value as CombiningAlgorithm;
  issues.add("combining", "enum", `must be one of ${listAllowed(COMBINING_ALGORITHMS)}, got ${describeJsonType(value)}`);
  return "deny-overrides";
}

/** Validates a parsed policy document. Throws PolicyError(Validation) listing every issue. */
export function validatePolicy(document: unknown): Policy {
  const issues = new IssueList();
  if (!isPlainRecord(document)) {
    issues.add("policy", "type", `the policy must be a JSON object such as {"rules": []}, got ${describeJsonType(document)}`);
    throw PolicyError.validation(issues.items);
  }
  rejectUnknownKeys(document, POLICY_KEYS, "", issues);
  const schema = document["$schema"];
  if (schema !== undefined && schema !== null && typeof schema !== "string") {
    issues.add("$schema", "type", `must be a string, got ${describeJsonType(schema)}`);
  }
  const version = validateVersion(document["version"], issues);
  validateDefaultAction(document["default_action"], issues);
  const combining = validateCombining(document["combining"], issues);

  const rawRules = document["rules"];
  const drafts: RuleDraft[] = [];
  let allRulesValid = true;
  if (rawRules === null) {
    issues.add("rules", "type", "must be a list of rules (use [] for none), got null");
  } else if (rawRules !== undefined && !Array.isArray(rawRules)) {
    issues.add("rules", "type", `must be a list of rules, got ${describeJsonType(rawRules)}`);
  } else if (rawRules !== undefined) {
    rawRules.forEach((raw, i) => {
      const draft = validateRule(raw, `rules.${i}`, issues);
      if (draft === undefined) allRulesValid = false;
      else drafts.push(draft);
    });
  }
  checkIds(drafts, allRulesValid, issues);
  if (issues.count > 0) throw PolicyError.validation(issues.items);
  return { version, default_action: "deny", combining, rules: drafts.map((d) => d.rule) };
}

/** Parses policy.json text. Invalid JSON is its own error kind, distinct from schema errors. */
export function parsePolicyText(text: string, source = "policy.json"): Policy {
  let document: unknown;
  try {
    // A UTF-8 byte order mark is legal in a file but not in JSON text.
    document = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new PolicyError(PolicyErrorCode.InvalidJson, `${source} is not valid JSON (${detail}); fix the syntax and reload`);
  }
  return validatePolicy(document);
}
