import { describe, expect, test } from "bun:test";
import { pythonJsonDumps } from "./python-json.ts";
import { generateRuleId, ruleIdSource } from "./rule-id.ts";

describe("generated rule ids (spec §4 vectors)", () => {
  test("the three spec vectors reproduce exactly", () => {
    expect(generateRuleId("deny", { tool_name: "bash" })).toBe("rule_7e223007");
    expect(generateRuleId("hitl", { path_pattern: ["/a/**", "/b/**"], side_effects: ["fs_write"] })).toBe("rule_75e772b2");
    expect(generateRuleId("deny", { tool_name: "café" })).toBe("rule_30050e65");
  });

  test("the hashed text is Python's json.dumps(sort_keys=True)", () => {
    expect(ruleIdSource("deny", { tool_name: "bash" })).toBe('{"conditions": {"tool_name": "bash"}, "effect": "deny"}');
    expect(ruleIdSource("deny", { tool_name: "café" })).toBe('{"conditions": {"tool_name": "caf\\u00e9"}, "effect": "deny"}');
  });

  test("key order in the file does not change the id; values do", () => {
    const a = generateRuleId("allow", { tool_name: "x", path_pattern: "/a/**" });
    const b = generateRuleId("allow", { path_pattern: "/a/**", tool_name: "x" });
    expect(a).toBe(b);
    expect(generateRuleId("allow", { tool_name: ["x"], path_pattern: "/a/**" })).not.toBe(a);
    expect(generateRuleId("deny", { tool_name: "x", path_pattern: "/a/**" })).not.toBe(a);
  });

  test("undefined and null conditions are left out of the hash", () => {
    const withNull = { tool_name: "bash", path_pattern: null } as unknown as Parameters<typeof generateRuleId>[1];
    expect(generateRuleId("deny", withNull)).toBe("rule_7e223007");
  });
});

describe("Python-compatible JSON", () => {
  test("separators, escapes and nesting", () => {
    expect(pythonJsonDumps({ b: [1, true, null], a: { d: "x", c: 2.5 } })).toBe(
      '{"a": {"c": 2.5, "d": "x"}, "b": [1, true, null]}',
    );
    expect(pythonJsonDumps('q"\\\n\t\u0001\u007f')).toBe('"q\\"\\\\\\n\\t\\u0001\\u007f"');
    expect(pythonJsonDumps("😀")).toBe('"\\ud83d\\ude00"');
    expect(pythonJsonDumps([])).toBe("[]");
    expect(pythonJsonDumps({})).toBe("{}");
  });

  test("keys sort by code point, as Python does", () => {
    expect(pythonJsonDumps({ "\uffff": 1, "😀": 2, B: 3, a: 4 })).toBe('{"B": 3, "a": 4, "\\uffff": 1, "\\ud83d\\ude00": 2}');
  });
});
