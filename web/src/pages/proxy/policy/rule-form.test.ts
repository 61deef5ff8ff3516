/// <reference path="../../../../../node_modules/bun-types/test.d.ts" />
import { describe, expect, test } from "bun:test";
import { create } from "@bufbuild/protobuf";
import { Operation, ResourceType, RuleConditionsSchema, RuleEffect, RuleSchema, SideEffect } from "../../../../../lib/gen/mcpacp/common/v1/policy_pb.ts";
import {
  cachingText,
  conditionLines,
  EMPTY_RULE_FORM,
  filterRules,
  formFromRule,
  ruleFromForm,
  ruleTitle,
  sectionsInUse,
  splitList,
  summaryLine,
  validateRuleForm,
} from "./rule-form.ts";

const stored = create(RuleSchema, {
  id: "r_hitl",
  description: "writes",
  effect: RuleEffect.HITL,
  conditions: {
    toolName: { values: ["write_*", "edit"] },
    sourcePath: { values: ["/src/**"] },
    pathRegex: { values: ["^/tmp/.*"] },
    sideEffects: { values: [SideEffect.FS_WRITE] },
    operations: { values: [Operation.WRITE] },
    resourceType: ResourceType.TOOL,
  },
  cacheSideEffects: { values: [SideEffect.FS_WRITE] },
});

describe("rule form", () => {
  test("splits comma-separated globs", () => {
    expect(splitList(" a, ,b ,")).toEqual(["a", "b"]);
  });

  test("a new rule needs a tool name or a path pattern", () => {
    expect(validateRuleForm(EMPTY_RULE_FORM)).toHaveLength(1);
    expect(validateRuleForm({ ...EMPTY_RULE_FORM, extension: ".key" })).toHaveLength(1);
    expect(validateRuleForm({ ...EMPTY_RULE_FORM, pathPattern: "/tmp/**" })).toEqual([]);
    expect(validateRuleForm({ ...EMPTY_RULE_FORM, toolName: "x", id: "bad id" })).toHaveLength(1);
  });

  test("editing keeps conditions the dialog does not show and the cached side effects", () => {
    const form = formFromRule(stored);
    expect(form.toolName).toBe("write_*, edit");
    expect(form.operations).toEqual(["write"]);
    expect(form.resourceType).toBe("tool");
    expect(form.cacheApprovals).toBe(true);
    expect(sectionsInUse(form)).toEqual({ paths: true, advanced: true });
    const rule = ruleFromForm({ ...form, description: "changed", id: "ignored" }, stored);
    expect(rule.id).toBe("r_hitl");
    expect(rule.description).toBe("changed");
    expect(rule.conditions?.pathRegex?.values).toEqual(["^/tmp/.*"]);
    expect(rule.conditions?.sideEffects?.values).toEqual([SideEffect.FS_WRITE]);
    expect(rule.cacheSideEffects?.values).toEqual([SideEffect.FS_WRITE]);
    // The stored rule itself is untouched.
    expect(stored.description).toBe("writes");
  });

  test("leaving HITL clears caching; turning caching on sets an empty side-effect list", () => {
    const asDeny = ruleFromForm({ ...formFromRule(stored), effect: "deny" }, stored);
    expect(asDeny.cacheSideEffects).toBeUndefined();
    const fresh = ruleFromForm({ ...EMPTY_RULE_FORM, effect: "hitl", toolName: "x", cacheApprovals: true });
    expect(fresh.cacheSideEffects?.values).toEqual([]);
    expect(cachingText(fresh)).toBe("Approval caching: On (tools without side effects)");
  });

  test("a rule relying on other conditions stays editable", () => {
    const onlyRegex = create(RuleSchema, { id: "r", effect: RuleEffect.DENY, conditions: { pathRegex: { values: [".*"] } } });
    expect(validateRuleForm(formFromRule(onlyRegex), onlyRegex)).toEqual([]);
  });

  test("condition lines show every set condition, including side effects and empty lists", () => {
    const lines = conditionLines(create(RuleConditionsSchema, { sideEffects: { values: [SideEffect.FS_WRITE] }, operations: { values: [Operation.WRITE] }, resourceType: ResourceType.TOOL, backendId: { values: [] } }));
    expect(lines).toContain("side_effects: fs_write");
    expect(lines).toContain("backend_id: (empty list: never matches)");
    expect(lines).toContain("resource_type: tool");
    expect(lines).toContain("operations: write");
  });

  test("titles, filters and the summary line", () => {
    expect(ruleTitle(create(RuleSchema, {}))).toBe("Unnamed rule");
    expect(ruleTitle(create(RuleSchema, { id: "x" }))).toBe("x");
    const rules = [stored, create(RuleSchema, { effect: RuleEffect.DENY })];
    expect(filterRules(rules, "deny")).toHaveLength(1);
    expect(filterRules(rules, "all")).toHaveLength(2);
    expect(summaryLine("v7", 5)).toBe("v7 · 5 rules · Default: deny");
    expect(summaryLine("v1", 1)).toBe("v1 · 1 rule · Default: deny");
  });
});
