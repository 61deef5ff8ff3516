import { describe, expect, test } from "bun:test";
import { formatPolicyDocument, generateRuleId } from "../../../lib/policy/index.ts";
import { AppendProblem, appendRule } from "./append-rule.ts";
import { parsePolicyDocument } from "./policy-file.ts";

const TEXT = '{"rules": [{"effect": "deny", "conditions": {"arguments": {"/__proto__": {"equals": 1}}}}], "combining": "hitl-overrides"}';

describe("appendRule", () => {
  test("appends with the generated id first and leaves the input document as it was", () => {
    const current = parsePolicyDocument(TEXT);
    const before = JSON.stringify(current.document);
    const result = appendRule(current, { effect: "allow", conditions: { tool_name: "ls" } });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.id).toBe(generateRuleId("allow", { tool_name: "ls" }));
    expect(result.index).toBe(1);
    expect(result.generatedId).toBe(true);
    expect(JSON.stringify(current.document)).toBe(before);
    // Key order of the document, and the odd-but-valid pointer key, survive a write.
    const text = formatPolicyDocument(result.document);
    expect(Object.keys(JSON.parse(text) as object)).toEqual(["rules", "combining"]);
    expect(text).toContain('"/__proto__": {');
    const firstId = generateRuleId("deny", { arguments: { "/__proto__": { equals: 1 } } });
    expect(parsePolicyDocument(text).policy.rules.map((r) => r.id)).toEqual([firstId, result.id]);
  });

  test("an id equal to an existing generated id is a duplicate", () => {
    const current = parsePolicyDocument('{"rules": [{"effect": "deny", "conditions": {"tool_name": "bash"}}]}');
    const result = appendRule(current, { id: "rule_7e223007", effect: "allow", conditions: { tool_name: "x" } });
    expect(result).toEqual({ ok: false, problem: AppendProblem.DuplicateId, id: "rule_7e223007", existingIndex: 0, generatedId: false });
  });

  test("an invalid rule reports the validator's issues at rules.<index>", () => {
    const result = appendRule(parsePolicyDocument("{}"), { effect: "deny", conditions: {} });
    expect(result.ok).toBe(false);
    if (result.ok || result.problem !== AppendProblem.Invalid) throw new Error("expected an invalid result");
    expect(result.error.issues.map((i) => i.loc)).toEqual(["rules.0.conditions"]);
  });
});
