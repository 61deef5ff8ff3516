// policy.json (lib/policy model) ↔ mcpacp.common.v1.Policy. In the file a condition value may be one
// string or a list; in the proto it is always a list. An argument's `equals` holds one JSON value
// in the file and a list of values in the proto: a list of exactly one value round-trips, others
// are refused with a violation (the file format cannot say "any of").
import { create, fromJson, toJson, type JsonValue, type MessageInitShape } from "@bufbuild/protobuf";
import { ListValueSchema } from "@bufbuild/protobuf/wkt";
import {
  type ArgumentMatchSchema,
  DefaultAction,
  type Policy as PolicyMessage,
  PolicySchema,
  type Rule as RuleMessage,
  type RuleConditions,
  type RuleConditionsSchema,
  RuleSchema,
  type StringList,
} from "../../../../lib/gen/mcpacp/common/v1/policy_pb.ts";
import { CONDITION_KEYS, type ArgumentMatcher, type Conditions, type Policy, type Rule, type StringOrList } from "../../../../lib/policy/index.ts";
import type { ApiFieldViolation } from "../../gateway/index.ts";
import {
  combiningValue,
  combiningWord,
  effectValue,
  effectWord,
  operationValue,
  operationWord,
  resourceTypeValue,
  resourceTypeWord,
  sideEffectValue,
  sideEffectWord,
} from "./policy-enums.ts";

type JsonMap = { [key: string]: unknown };

function stringList(value: StringOrList | undefined): { values: string[] } | undefined {
  if (value === undefined) return undefined;
  return { values: typeof value === "string" ? [value] : [...value] };
}

function argumentMatch(matcher: ArgumentMatcher): MessageInitShape<typeof ArgumentMatchSchema> {
  if ("equals" in matcher) return { kind: { case: "equals", value: fromJson(ListValueSchema, [matcher.equals]) } };
  if ("glob" in matcher) return { kind: { case: "glob", value: stringList(matcher.glob) ?? { values: [] } } };
  return { kind: { case: "regex", value: stringList(matcher.regex) ?? { values: [] } } };
}

function conditionsMessage(c: Conditions): MessageInitShape<typeof RuleConditionsSchema> {
  const args: Record<string, MessageInitShape<typeof ArgumentMatchSchema>> = {};
  for (const [pointer, matcher] of Object.entries(c.arguments ?? {})) args[pointer] = argumentMatch(matcher);
  return {
    toolName: stringList(c.tool_name),
    pathPattern: stringList(c.path_pattern),
    sourcePath: stringList(c.source_path),
    destPath: stringList(c.dest_path),
    pathRegex: stringList(c.path_regex),
    operations: c.operations === undefined ? undefined : { values: c.operations.map(operationValue) },
    extension: stringList(c.extension),
    scheme: stringList(c.scheme),
    backendId: stringList(c.backend_id),
    resourceType: c.resource_type === undefined ? undefined : resourceTypeValue(c.resource_type),
    mcpMethod: stringList(c.mcp_method),
    subjectId: stringList(c.subject_id),
    sideEffects: c.side_effects === undefined ? undefined : { values: c.side_effects.map(sideEffectValue) },
    arguments: args,
  };
}

export function ruleMessage(rule: Rule): RuleMessage {
  return create(RuleSchema, {
    id: rule.id,
    description: rule.description ?? "",
    effect: effectValue(rule.effect),
    conditions: conditionsMessage(rule.conditions),
    cacheSideEffects: rule.cache_side_effects === undefined ? undefined : { values: rule.cache_side_effects.map(sideEffectValue) },
  });
}

export function policyMessage(policy: Policy): PolicyMessage {
  return create(PolicySchema, {
    version: policy.version,
    defaultAction: DefaultAction.DENY,
    combining: combiningValue(policy.combining),
    rules: policy.rules.map(ruleMessage),
  });
}

/** A rule or policy in the file's shape, plus what could not be expressed there. */
export interface DocumentResult<T> {
  document: T;
  violations: ApiFieldViolation[];
}

function values(list: StringList | undefined): string[] | undefined {
  return list === undefined ? undefined : [...list.values];
}

function enumWords<V extends number, W extends string>(
  list: { values: V[] } | undefined,
  word: (value: V) => W | undefined,
  field: string,
  allowed: string,
  violations: ApiFieldViolation[],
): W[] | undefined {
  if (list === undefined) return undefined;
  const out: W[] = [];
  list.values.forEach((value, i) => {
    const w = word(value);
    if (w === undefined) violations.push({ field: `${field}[${i}]`, description: `must be one of ${allowed}`, reason: "INVALID_ENUM" });
    else out.push(w);
  });
  return out;
}

function argumentsDocument(args: RuleConditions["arguments"], field: string, violations: ApiFieldViolation[]): JsonMap | undefined {
  const entries = Object.entries(args);
  if (entries.length === 0) return undefined;
  const out: JsonMap = {};
  for (const [pointer, match] of entries) {
    const where = `${field}.${pointer}`;
    const kind = match.kind;
    if (kind.case === "glob") out[pointer] = { glob: [...kind.value.values] };
    else if (kind.case === "regex") out[pointer] = { regex: [...kind.value.values] };
    else if (kind.case === "equals") {
      const list = toJson(ListValueSchema, kind.value) as JsonValue[];
      // Another count is refused; the list stands in for the value so the rest is still checked.
      out[pointer] = { equals: list.length === 1 ? list[0] : list };
      if (list.length !== 1) {
        violations.push({ field: `${where}.equals`, description: `must hold exactly one JSON value (got ${list.length}); policy files compare an argument with one value`, reason: "INVALID_VALUE" });
      }
    } else {
      // No kind: the validator reports the matcher that names none.
      out[pointer] = {};
    }
  }
  return out;
}

const ENUM_HINTS = {
  operations: "READ, WRITE, DELETE",
  sideEffects: "the SIDE_EFFECT_* values other than UNSPECIFIED",
};

function conditionsDocument(c: RuleConditions, field: string, violations: ApiFieldViolation[]): JsonMap {
  const byKey: JsonMap = {
    tool_name: values(c.toolName),
    path_pattern: values(c.pathPattern),
    path_regex: values(c.pathRegex),
    source_path: values(c.sourcePath),
    dest_path: values(c.destPath),
    operations: enumWords(c.operations, operationWord, `${field}.operations`, ENUM_HINTS.operations, violations),
    extension: values(c.extension),
    scheme: values(c.scheme),
    backend_id: values(c.backendId),
    resource_type: resourceTypeWord(c.resourceType),
    mcp_method: values(c.mcpMethod),
    subject_id: values(c.subjectId),
    side_effects: enumWords(c.sideEffects, sideEffectWord, `${field}.side_effects`, ENUM_HINTS.sideEffects, violations),
    arguments: argumentsDocument(c.arguments, `${field}.arguments`, violations),
  };
  const out: JsonMap = {};
  for (const key of CONDITION_KEYS) if (byKey[key] !== undefined) out[key] = byKey[key];
  return out;
}

/** A proto rule as a policy.json rule; `field` is where the rule sits in the request. */
export function ruleDocument(rule: RuleMessage, field: string): DocumentResult<JsonMap> {
  const violations: ApiFieldViolation[] = [];
  const out: JsonMap = {};
  if (rule.id !== "") out.id = rule.id;
  if (rule.description !== "") out.description = rule.description;
  const effect = effectWord(rule.effect);
  if (effect !== undefined) out.effect = effect;
  if (rule.conditions !== undefined) out.conditions = conditionsDocument(rule.conditions, `${field}.conditions`, violations);
  const cache = enumWords(rule.cacheSideEffects, sideEffectWord, `${field}.cache_side_effects`, ENUM_HINTS.sideEffects, violations);
  if (cache !== undefined) out.cache_side_effects = cache;
  return { document: out, violations };
}

/** A proto policy as policy.json content. */
export function policyDocument(policy: PolicyMessage): DocumentResult<JsonMap> {
  const violations: ApiFieldViolation[] = [];
  const out: JsonMap = { version: policy.version === "" ? "1" : policy.version, default_action: "deny" };
  const combining = combiningWord(policy.combining);
  if (combining !== undefined) out.combining = combining;
  out.rules = policy.rules.map((rule, i) => {
    const result = ruleDocument(rule, `rules[${i}]`);
    violations.push(...result.violations);
    return result.document;
  });
  return { document: out, violations };
}
