import { describe, expect, test } from "bun:test";
import { configViolations, fieldPath, policyViolations, withPrefix } from "./violations.ts";

describe("fieldPath", () => {
  test("list indexes go in brackets; the document itself is the empty path", () => {
    expect(fieldPath("rules.2.conditions.tool_name")).toBe("rules[2].conditions.tool_name");
    expect(fieldPath("rules.0.cache_side_effects.1")).toBe("rules[0].cache_side_effects[1]");
    expect(fieldPath("rules.10.conditions.arguments./0")).toBe("rules[10].conditions.arguments./0");
    expect(fieldPath("backend.http.url")).toBe("backend.http.url");
    expect(fieldPath("(root)")).toBe("");
    expect(fieldPath("policy")).toBe("");
  });

  test("withPrefix joins request-relative paths", () => {
    expect(withPrefix("rule", "effect")).toBe("rule.effect");
    expect(withPrefix("rule", "")).toBe("rule");
    expect(withPrefix("rules", "[0].id")).toBe("rules[0].id");
  });
});

test("reasons: from a policy issue's type, and from a config issue's wording", () => {
  expect(policyViolations([{ loc: "rules.1.effect", type: "missing", msg: "is required" }])).toEqual([
    { field: "rules[1].effect", description: "is required", reason: "REQUIRED" },
  ]);
  const reasons = configViolations([
    { loc: "hitl.timeout_seconds", msg: "must be an integer between 5 and 300" },
    { loc: "backend.extra", msg: "unknown key" },
    { loc: "backend.server_name", msg: "is required" },
    { loc: "backend.stdio.args.1", msg: "must be a string" },
    { loc: "backend.http.url", msg: "must start with http:// or https://" },
  ]).map((v) => [v.field, v.reason]);
  expect(reasons).toEqual([
    ["hitl.timeout_seconds", "OUT_OF_RANGE"],
    ["backend.extra", "UNKNOWN_KEY"],
    ["backend.server_name", "REQUIRED"],
    ["backend.stdio.args[1]", "INVALID_TYPE"],
    ["backend.http.url", "INVALID_VALUE"],
  ]);
});
