import { describe, expect, test } from "bun:test";
import { addGeneratedIds, formatPolicyDocument, policyToDocument } from "./serialize.ts";
import { parsePolicyText, validatePolicy } from "./validate.ts";

describe("writing generated ids back", () => {
  test("ids are added first in each rule that lacks one; nothing else changes and no nulls appear", () => {
    const document = {
      version: "1",
      rules: [
        { description: "shell", effect: "deny", conditions: { tool_name: "bash" } },
        { id: "keep", effect: "allow", conditions: { tool_name: ["ls"] } },
        { id: "", effect: "hitl", conditions: { path_pattern: ["/a/**", "/b/**"], side_effects: ["fs_write"] } },
      ],
    };
    const { document: out, changed } = addGeneratedIds(document, validatePolicy(document));
    expect(changed).toBe(true);
    expect(out).toEqual({
      version: "1",
      rules: [
        { id: "rule_7e223007", description: "shell", effect: "deny", conditions: { tool_name: "bash" } },
        { id: "keep", effect: "allow", conditions: { tool_name: ["ls"] } },
        { id: "rule_75e772b2", effect: "hitl", conditions: { path_pattern: ["/a/**", "/b/**"], side_effects: ["fs_write"] } },
      ],
    });
    expect(Object.keys((out as { rules: Record<string, unknown>[] }).rules[0] ?? {})[0]).toBe("id");
    expect(JSON.stringify(out)).not.toContain("null");
    expect(document.rules[0]).not.toHaveProperty("id");
  });

  test("a second load finds nothing to write", () => {
    const first = { rules: [{ effect: "deny", conditions: { tool_name: "bash" } }] };
    const written = formatPolicyDocument(addGeneratedIds(first, validatePolicy(first)).document);
    const reread = JSON.parse(written);
    const again = addGeneratedIds(reread, parsePolicyText(written));
    expect(again.changed).toBe(false);
    expect(again.document).toBe(reread);
    expect(written.endsWith("}\n")).toBe(true);
  });

  test("a document that does not belong to the policy is refused", () => {
    const policy = validatePolicy({ rules: [] });
    expect(() => addGeneratedIds({ rules: [{ effect: "deny", conditions: { tool_name: "x" } }] }, policy)).toThrow("validate this document first");
  });
});

describe("policyToDocument", () => {
  test("round-trips through validation and omits absent fields", () => {
    const policy = validatePolicy({
      combining: "hitl-overrides",
      rules: [
        { id: "a", effect: "hitl", conditions: { tool_name: "x" }, cache_side_effects: ["fs_read"] },
        { description: "d", effect: "deny", conditions: { extension: ".key" } },
      ],
    });
    const doc = policyToDocument(policy);
    expect(doc).toEqual({
      version: "1",
      default_action: "deny",
      combining: "hitl-overrides",
      rules: [
        { id: "a", effect: "hitl", conditions: { tool_name: "x" }, cache_side_effects: ["fs_read"] },
        { id: policy.rules[1]?.id, description: "d", effect: "deny", conditions: { extension: ".key" } },
      ],
    });
    expect(validatePolicy(doc)).toEqual(policy);
  });
});
