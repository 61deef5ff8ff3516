// The Add/Edit Rule dialog's model. An edited rule starts as a copy of the stored rule and only
// the fields the dialog shows are overwritten, so conditions the dialog has no control for
// (path_regex, side_effects, arguments, …) and cache_side_effects values survive an edit.
import { clone, create, toJson } from "@bufbuild/protobuf";
import {
  ArgumentMatchSchema,
  Operation,
  ResourceType,
  type Rule,
  type RuleConditions,
  RuleConditionsSchema,
  RuleEffect,
  RuleSchema,
  SideEffect,
  type StringList,
} from "../../../../../lib/gen/mcpacp/common/v1/policy_pb.ts";

export type EffectName = "allow" | "deny" | "hitl";
export type ResourceName = "" | "tool" | "resource" | "prompt" | "server";

export interface RuleForm {
  effect: EffectName;
  description: string;
  id: string;
  toolName: string;
  pathPattern: string;
  sourcePath: string;
  destPath: string;
  operations: string[];
  extension: string;
  scheme: string;
  subjectId: string;
  mcpMethod: string;
  resourceType: ResourceName;
  cacheApprovals: boolean;
}

export const EMPTY_RULE_FORM: RuleForm = {
  effect: "deny",
  description: "",
  id: "",
  toolName: "",
  pathPattern: "",
  sourcePath: "",
  destPath: "",
  operations: [],
  extension: "",
  scheme: "",
  subjectId: "",
  mcpMethod: "",
  resourceType: "",
  cacheApprovals: false,
};

export const EFFECTS: readonly { name: EffectName; label: string; meaning: string }[] = [
  { name: "allow", label: "Allow", meaning: "Forward the request without asking." },
  { name: "deny", label: "Deny", meaning: "Refuse the request." },
  { name: "hitl", label: "HITL", meaning: "Ask a human to approve each request." },
];

export const FALLBACK_OPERATIONS: readonly string[] = ["read", "write", "delete"];

const EFFECT_OF: Readonly<Record<EffectName, RuleEffect>> = { allow: RuleEffect.ALLOW, deny: RuleEffect.DENY, hitl: RuleEffect.HITL };

export function effectName(effect: RuleEffect): EffectName | "" {
  switch (effect) {
    case RuleEffect.ALLOW:
      return "allow";
    case RuleEffect.DENY:
      return "deny";
    case RuleEffect.HITL:
      return "hitl";
    default:
      return "";
  }
}

/** The file spelling of an enum value: READ → "read", FS_WRITE → "fs_write". */
export function enumWord<E extends Record<string, string | number>>(enumObject: E, value: number): string {
  const name = (enumObject as Record<number, string | undefined>)[value];
  return name === undefined ? String(value) : name.toLowerCase();
}

function enumFromWord<E extends Record<string, string | number>>(enumObject: E, word: string): number | undefined {
  const value = (enumObject as Record<string, string | number | undefined>)[word.toUpperCase()];
  return typeof value === "number" && value !== 0 ? value : undefined;
}

/** Comma-separated text → trimmed non-empty values. */
export function splitList(text: string): string[] {
  return text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

function joinList(list: StringList | undefined): string {
  return list === undefined ? "" : list.values.join(", ");
}

export function formFromRule(rule: Rule): RuleForm {
  const c = rule.conditions;
  const resource = c === undefined ? "" : enumWord(ResourceType, c.resourceType);
  return {
    effect: effectName(rule.effect) || "deny",
    description: rule.description,
    id: rule.id,
    toolName: joinList(c?.toolName),
    pathPattern: joinList(c?.pathPattern),
    sourcePath: joinList(c?.sourcePath),
    destPath: joinList(c?.destPath),
    operations: c?.operations?.values.map((o) => enumWord(Operation, o)) ?? [],
    extension: joinList(c?.extension),
    scheme: joinList(c?.scheme),
    subjectId: joinList(c?.subjectId),
    mcpMethod: joinList(c?.mcpMethod),
    resourceType: resource === "unspecified" ? "" : (resource as ResourceName),
    cacheApprovals: rule.effect === RuleEffect.HITL && rule.cacheSideEffects !== undefined,
  };
}

function listOrUnset(text: string): StringList | undefined {
  const values = splitList(text);
  return values.length === 0 ? undefined : { $typeName: "mcpacp.common.v1.StringList", values };
}

/** The rule to send: a copy of `base` (when editing) with the dialog's fields applied. */
export function ruleFromForm(form: RuleForm, base?: Rule): Rule {
  const rule = base === undefined ? create(RuleSchema) : clone(RuleSchema, base);
  const conditions: RuleConditions = rule.conditions ?? create(RuleConditionsSchema);
  rule.effect = EFFECT_OF[form.effect];
  rule.description = form.description.trim();
  if (base === undefined) rule.id = form.id.trim();
  conditions.toolName = listOrUnset(form.toolName);
  conditions.pathPattern = listOrUnset(form.pathPattern);
  conditions.sourcePath = listOrUnset(form.sourcePath);
  conditions.destPath = listOrUnset(form.destPath);
  conditions.extension = listOrUnset(form.extension);
  conditions.scheme = listOrUnset(form.scheme);
  conditions.subjectId = listOrUnset(form.subjectId);
  conditions.mcpMethod = listOrUnset(form.mcpMethod);
  const ops = form.operations.map((w) => enumFromWord(Operation, w)).filter((v): v is Operation => v !== undefined);
  conditions.operations = ops.length === 0 ? undefined : { $typeName: "mcpacp.common.v1.OperationList", values: ops };
  conditions.resourceType = form.resourceType === "" ? ResourceType.UNSPECIFIED : ((enumFromWord(ResourceType, form.resourceType) ?? 0) as ResourceType);
  rule.conditions = conditions;
  if (form.effect !== "hitl" || !form.cacheApprovals) {
    rule.cacheSideEffects = undefined;
  } else if (rule.cacheSideEffects === undefined) {
    // Set with no values: only approvals of tools without side effects are cached (the safe default).
    rule.cacheSideEffects = { $typeName: "mcpacp.common.v1.SideEffectList", values: [] };
  }
  return rule;
}

/** Whether the rule has any condition at all (an empty one would match everything). */
function hasAnyCondition(c: RuleConditions | undefined): boolean {
  return conditionLines(c).length > 0;
}

/** Problems that keep Save disabled; empty when the form can be saved. */
export function validateRuleForm(form: RuleForm, base?: Rule): string[] {
  const problems: string[] = [];
  const hasToolOrPath = splitList(form.toolName).length > 0 || splitList(form.pathPattern).length > 0;
  // A stored rule may rely on other conditions only (edited from JSON); keep it editable.
  const keepsOther = base !== undefined && hasAnyCondition(ruleFromForm(form, base).conditions);
  if (!hasToolOrPath && !keepsOther) problems.push("Set a tool name or a path pattern (at least one).");
  if (form.id.trim() !== "" && !/^[A-Za-z0-9_.:-]+$/.test(form.id.trim())) problems.push("Rule id may use letters, digits, _ . : - only.");
  return problems;
}

/** Whether the "Move/Copy paths" and "Advanced" sections start open (they hold a value). */
export function sectionsInUse(form: RuleForm): { paths: boolean; advanced: boolean } {
  return {
    paths: form.sourcePath.trim() !== "" || form.destPath.trim() !== "",
    advanced:
      form.operations.length > 0 ||
      [form.extension, form.scheme, form.subjectId, form.mcpMethod].some((t) => t.trim() !== "") ||
      form.resourceType !== "",
  };
}

function listText(list: { values: readonly string[] }): string {
  return list.values.length === 0 ? "(empty list: never matches)" : list.values.join(", ");
}

/** Every set condition as "key: value" lines, in file order; nothing hidden. */
export function conditionLines(c: RuleConditions | undefined): string[] {
  if (c === undefined) return [];
  const lines: string[] = [];
  const str = (key: string, list: StringList | undefined) => {
    if (list !== undefined) lines.push(`${key}: ${listText(list)}`);
  };
  str("tool_name", c.toolName);
  str("path_pattern", c.pathPattern);
  str("source_path", c.sourcePath);
  str("dest_path", c.destPath);
  str("path_regex", c.pathRegex);
  if (c.operations !== undefined) lines.push(`operations: ${listText({ values: c.operations.values.map((o) => enumWord(Operation, o)) })}`);
  str("extension", c.extension);
  str("scheme", c.scheme);
  str("backend_id", c.backendId);
  if (c.resourceType !== ResourceType.UNSPECIFIED) lines.push(`resource_type: ${enumWord(ResourceType, c.resourceType)}`);
  str("mcp_method", c.mcpMethod);
  str("subject_id", c.subjectId);
  if (c.sideEffects !== undefined) lines.push(`side_effects: ${listText({ values: c.sideEffects.values.map((s) => enumWord(SideEffect, s)) })}`);
  for (const [pointer, match] of Object.entries(c.arguments)) {
    lines.push(`arguments ${pointer}: ${JSON.stringify(toJson(ArgumentMatchSchema, match))}`);
  }
  return lines;
}

export function ruleTitle(rule: Rule): string {
  return rule.description.trim() || rule.id || "Unnamed rule";
}

/** "Approval caching: On" text for caching HITL rules, with the side effects it covers. */
export function cachingText(rule: Rule): string {
  if (rule.effect !== RuleEffect.HITL || rule.cacheSideEffects === undefined) return "";
  const effects = rule.cacheSideEffects.values.map((s) => enumWord(SideEffect, s));
  return effects.length === 0 ? "Approval caching: On (tools without side effects)" : `Approval caching: On (${effects.join(", ")})`;
}

export type EffectFilter = "all" | EffectName;

export function filterRules(rules: readonly Rule[], filter: EffectFilter): Rule[] {
  return filter === "all" ? [...rules] : rules.filter((r) => effectName(r.effect) === filter);
}

export function summaryLine(version: string, ruleCount: number): string {
  return `${version || "v?"} · ${ruleCount} rule${ruleCount === 1 ? "" : "s"} · Default: deny`;
}
