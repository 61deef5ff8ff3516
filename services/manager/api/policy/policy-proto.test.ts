import { describe, expect, test } from "bun:test";
import { RuleEffect, SideEffect } from "../../../../lib/gen/mcpacp/common/v1/policy_pb.ts";
import { parsePolicyText, validatePolicy } from "../../../../lib/policy/index.ts";
import { policyDocument, policyMessage, ruleDocument } from "./policy-proto.ts";

const TEXT = JSON.stringify({
  version: "1",
  combining: "hitl-overrides",
  rules: [
    { id: "r1", description: "docs", effect: "allow", conditions: { tool_name: "read_*", path_pattern: ["/docs/**"], operations: ["read"], resource_type: "tool" } },
    { effect: "hitl", conditions: { side_effects: ["fs_write"], arguments: { "/mode": { equals: [1, 2] }, "/cmd": { regex: "^ls" } } }, cache_side_effects: [] },
  ],
});

describe("policy ↔ proto", () => {
  test("file → proto → file gives the same policy (single strings become lists, ids are kept)", () => {
    const policy = parsePolicyText(TEXT);
    const { document, violations } = policyDocument(policyMessage(policy));
    expect(violations).toEqual([]);
    const again = validatePolicy(document);
    expect(policyMessage(again)).toEqual(policyMessage(policy));
    expect(again.combining).toBe("hitl-overrides");
    expect(again.rules.map((r) => r.id)).toEqual(policy.rules.map((r) => r.id));
    expect(again.rules[1]?.conditions.arguments).toEqual({ "/mode": { equals: [1, 2] }, "/cmd": { regex: ["^ls"] } });
  });

  test("proto enums map to the file words; UNSPECIFIED in a list is a violation at its index", () => {
    const { document, violations } = ruleDocument(
      { $typeName: "mcpacp.common.v1.Rule", id: "", description: "", effect: RuleEffect.DENY, conditions: undefined, cacheSideEffects: { $typeName: "mcpacp.common.v1.SideEffectList", values: [SideEffect.CODE_EXEC, SideEffect.UNSPECIFIED] } },
      "rule",
    );
    expect(document).toEqual({ effect: "deny", cache_side_effects: ["code_exec"] });
    expect(violations.map((v) => v.field)).toEqual(["rule.cache_side_effects[1]"]);
  });
});
