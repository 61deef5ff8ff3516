// Validation of one rule's `conditions` object: types, enums, non-blank strings, regex syntax,
// JSON pointers and argument matchers. Unknown keys are errors, because a typo such as
// `tool_names` would otherwise silently widen the rule.

import { isLiteralShellGlob } from "./glob.ts";
import { type IssueList, describeJsonType, isPlainRecord, listAllowed, setOwn } from "./issues.ts";
import { parseJsonPointer } from "./json-pointer.ts";
import {
  type ArgumentMatcher,
  CONDITION_KEYS,
  type ConditionKey,
  type Conditions,
  type JsonValue,
  OPERATIONS,
  RESOURCE_TYPES,
  SIDE_EFFECTS,
} from "./model.ts";
import { DISCOVERY_METHODS } from "./classify.ts";
import { userRegExp } from "./user-regex.ts";

const CONDITION_KEY_SET: ReadonlySet<string> = new Set(CONDITION_KEYS);
const ARGUMENT_MATCHER_KEYS = ["equals", "glob", "regex"] as const;

function blankMessage(value: string): string {
  return value === "" ? "must not be an empty string" : "must not be only whitespace";
}

/** A string or a list of strings, none blank. Returns undefined when invalid. */
function stringOrList(
  value: unknown,
  loc: string,
  issues: IssueList,
  check?: (item: string, itemLoc: string) => void,
): string | string[] | undefined {
  const one = (item: unknown, itemLoc: string): boolean => {
    if (typeof item !== "string") {
      issues.add(itemLoc, "type", `must be a string, got ${describeJsonType(item)}`);
      return false;
    }
    if (item.trim() === "") {
      issues.add(itemLoc, "empty_string", blankMessage(item));
      return false;
    }
    const before = issues.count;
    check?.(item, itemLoc);
    return issues.count === before;
  };
  if (Array.isArray(value)) {
    let ok = true;
    value.forEach((item, i) => {
      ok = one(item, `${loc}.${i}`) && ok;
    });
    return ok ? (value as string[]) : undefined;
  }
  if (typeof value === "string") return one(value, loc) ? value : undefined;
  issues.add(loc, "type", `must be a string or a list of strings, got ${describeJsonType(value)}`);
  return undefined;
}

function enumList<T extends string>(
  value: unknown,
  loc: string,
  allowed: readonly T[],
  example: string,
  issues: IssueList,
): T[] | undefined {
  if (!Array.isArray(value)) {
    issues.add(loc, "type", `must be a list, e.g. ${example}, got ${describeJsonType(value)}`);
    return undefined;
  }
  let ok = true;
  value.forEach((item, i) => {
    if (typeof item !== "string" || !(allowed as readonly string[]).includes(item)) {
      issues.add(`${loc}.${i}`, "enum", `must be one of ${listAllowed(allowed)}, got ${describeJsonType(item)}`);
      ok = false;
    }
  });
  return ok ? (value as T[]) : undefined;
}

function isJsonValue(value: unknown): value is JsonValue {
  if (value === null || typeof value === "string" || typeof value === "boolean") return true;
  if (typeof value === "number") return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isJsonValue);
  if (isPlainRecord(value)) return Object.values(value).every(isJsonValue);
  return false;
}

function checkRegex(item: string, itemLoc: string, issues: IssueList): void {
  const compiled = userRegExp(item);
  if (typeof compiled === "string") issues.add(itemLoc, "invalid_regex", `invalid regular expression: ${compiled}`);
}

function argumentMatcher(value: unknown, loc: string, issues: IssueList): ArgumentMatcher | undefined {
  if (!isPlainRecord(value)) {
    issues.add(loc, "type", `must be an object with one of ${listAllowed(ARGUMENT_MATCHER_KEYS)}, got ${describeJsonType(value)}`);
    return undefined;
  }
  const before = issues.count;
  for (const key of Object.keys(value)) {
    if (!(ARGUMENT_MATCHER_KEYS as readonly string[]).includes(key)) {
      issues.add(`${loc}.${key}`, "unknown_key", `unknown key; an argument matcher takes exactly one of ${listAllowed(ARGUMENT_MATCHER_KEYS)}`);
    }
  }
  const present = ARGUMENT_MATCHER_KEYS.filter((k) => Object.hasOwn(value, k));
  if (present.length !== 1) {
    issues.add(loc, "invalid_value", `needs exactly one of ${listAllowed(ARGUMENT_MATCHER_KEYS)}, found ${present.length}`);
    return undefined;
  }
  const kind = present[0] as (typeof ARGUMENT_MATCHER_KEYS)[number];
  const raw = value[kind];
  const kindLoc = `${loc}.${kind}`;
  if (kind === "equals") {
    if (!isJsonValue(raw)) issues.add(kindLoc, "type", "must be a JSON value");
    return issues.count === before ? { equals: raw as JsonValue } : undefined;
  }
  const check = kind === "regex" ? (item: string, l: string) => checkRegex(item, l, issues) : undefined;
  const patterns = stringOrList(raw, kindLoc, issues, check);
  if (patterns === undefined || issues.count !== before) return undefined;
  return kind === "glob" ? { glob: patterns } : { regex: patterns };
}

function argumentsCondition(value: unknown, loc: string, issues: IssueList): Record<string, ArgumentMatcher> | undefined {
  if (!isPlainRecord(value)) {
    issues.add(loc, "type", `must be an object mapping JSON pointers (e.g. "/command") to matchers, got ${describeJsonType(value)}`);
    return undefined;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) {
    issues.add(loc, "empty_conditions", 'needs at least one JSON pointer, e.g. {"/command": {"glob": "rm *"}}');
    return undefined;
  }
  const out: Record<string, ArgumentMatcher> = {};
  let ok = true;
  for (const [pointer, raw] of entries) {
    const pointerLoc = `${loc}.${pointer}`;
    const tokens = parseJsonPointer(pointer);
    if (typeof tokens === "string") {
      issues.add(pointerLoc, "invalid_pointer", tokens);
      ok = false;
      continue;
    }
    const matcher = argumentMatcher(raw, pointerLoc, issues);
    if (matcher === undefined) ok = false;
    else setOwn(out, pointer, matcher);
  }
  return ok ? out : undefined;
}

function checkExtension(item: string, itemLoc: string, issues: IssueList): void {
  if (!item.startsWith(".") || item.length < 2 || item.includes("/")) {
    issues.add(itemLoc, "invalid_value", `an extension includes its leading dot, e.g. ".key" (got ${JSON.stringify(item)})`);
  }
}

function checkScheme(item: string, itemLoc: string, issues: IssueList): void {
  if (!/^[A-Za-z][A-Za-z0-9+.-]*$/.test(item)) {
    issues.add(itemLoc, "invalid_value", `a URI scheme is written without ":" or "//", e.g. "file" or "https" (got ${JSON.stringify(item)})`);
  }
}

function checkMethod(item: string, itemLoc: string, issues: IssueList): void {
  if (isLiteralShellGlob(item) && DISCOVERY_METHODS.has(item)) {
    issues.add(
      itemLoc,
      "unreachable_condition",
      `"${item}" is a discovery method; discovery requests bypass the rules and are always allowed, so this rule could never apply to it`,
    );
  }
}

type FieldValidator = (value: unknown, loc: string, issues: IssueList) => unknown;

const FIELD_VALIDATORS: Record<ConditionKey, FieldValidator> = {
  tool_name: (v, l, i) => stringOrList(v, l, i),
  path_pattern: (v, l, i) => stringOrList(v, l, i),
  path_regex: (v, l, i) => stringOrList(v, l, i, (item, il) => checkRegex(item, il, i)),
  source_path: (v, l, i) => stringOrList(v, l, i),
  dest_path: (v, l, i) => stringOrList(v, l, i),
  operations: (v, l, i) => enumList(v, l, OPERATIONS, '["read"]', i),
  extension: (v, l, i) => stringOrList(v, l, i, (item, il) => checkExtension(item, il, i)),
  scheme: (v, l, i) => stringOrList(v, l, i, (item, il) => checkScheme(item, il, i)),
  backend_id: (v, l, i) => stringOrList(v, l, i),
  resource_type: (v, l, i) => {
    if (typeof v === "string" && (RESOURCE_TYPES as readonly string[]).includes(v)) return v;
    i.add(l, "enum", `must be one of ${listAllowed(RESOURCE_TYPES)} (a single value, lowercase), got ${describeJsonType(v)}`);
    return undefined;
  },
  mcp_method: (v, l, i) => stringOrList(v, l, i, (item, il) => checkMethod(item, il, i)),
  subject_id: (v, l, i) => stringOrList(v, l, i),
  side_effects: (v, l, i) => enumList(v, l, SIDE_EFFECTS, '["fs_write"]', i),
  arguments: (v, l, i) => argumentsCondition(v, l, i),
};

export interface ConditionsResult {
  conditions: Conditions;
  /** False when any field was invalid (the invalid fields are left out of `conditions`). */
  valid: boolean;
}

export function validateConditions(value: unknown, loc: string, issues: IssueList): ConditionsResult | undefined {
  if (value === undefined || value === null) {
    issues.add(loc, "missing", "is required: a rule without conditions would match every request");
    return undefined;
  }
  if (!isPlainRecord(value)) {
    issues.add(loc, "type", `must be an object of conditions, got ${describeJsonType(value)}`);
    return undefined;
  }
  const before = issues.count;
  const conditions: Conditions = {};
  let present = 0;
  for (const [key, raw] of Object.entries(value)) {
    if (!CONDITION_KEY_SET.has(key)) {
      issues.add(`${loc}.${key}`, "unknown_key", `unknown condition; allowed conditions: ${listAllowed(CONDITION_KEYS)}`);
      continue;
    }
    if (raw === null) continue;
    present++;
    const field = key as ConditionKey;
    const checked = FIELD_VALIDATORS[field](raw, `${loc}.${key}`, issues);
    if (checked !== undefined) (conditions as Record<string, unknown>)[field] = checked;
  }
  if (present === 0 && issues.count === before) {
    issues.add(
      loc,
      "empty_conditions",
      'needs at least one non-null condition: empty conditions would match every request (to match all actions on purpose, write {"mcp_method": "*"})',
    );
    return undefined;
  }
  return { conditions, valid: issues.count === before };
}
