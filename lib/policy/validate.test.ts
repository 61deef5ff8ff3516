import { describe, expect, test } from "bun:test";
import { PolicyError, PolicyErrorCode, type PolicyIssue } from "./errors.ts";
import { generateRuleId } from "./rule-id.ts";
import { parsePolicyText, validatePolicy } from "./validate.ts";

function issuesOf(document: unknown): PolicyIssue[] {
  try {
    validatePolicy(document);
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyError);
    const e = error as PolicyError;
    expect(e.code).toBe(PolicyErrorCode.Validation);
    return [...e.issues];
  }
  throw new Error("expected the policy to be rejected");
}

function locs(document: unknown): string[] {
  return issuesOf(document).map((i) => i.loc);
}

const rule = (conditions: unknown, extra: Record<string, unknown> = {}) => ({ rules: [{ effect: "allow", conditions, ...extra }] });

describe("validatePolicy: accepted documents", () => {
  test("{} is valid and has defaults", () => {
    expect(validatePolicy({})).toEqual({ version: "1", default_action: "deny", combining: "deny-overrides", rules: [] });
  });

  test("null means absent for optional keys", () => {
    const p = validatePolicy({
      version: null,
      default_action: null,
      combining: null,
      rules: [{ id: null, description: null, effect: "deny", conditions: { tool_name: "bash", path_pattern: null }, cache_side_effects: null }],
    });
    expect(p.rules[0]).toEqual({ id: "rule_7e223007", effect: "deny", conditions: { tool_name: "bash" } });
  });

  test("an empty id gets a generated one; a given id is kept", () => {
    const p = validatePolicy({
      rules: [
        { id: "", effect: "deny", conditions: { tool_name: "bash" } },
        { id: "mine", effect: "allow", conditions: { tool_name: "ls" } },
      ],
    });
    expect(p.rules.map((r) => r.id)).toEqual(["rule_7e223007", "mine"]);
  });

  test("cache_side_effects: [] is accepted on a hitl rule", () => {
    const p = validatePolicy({ rules: [{ effect: "hitl", conditions: { tool_name: "x" }, cache_side_effects: [] }] });
    expect(p.rules[0]?.cache_side_effects).toEqual([]);
  });

  test("empty lists are accepted (they never match)", () => {
    expect(() => validatePolicy(rule({ tool_name: [] }))).not.toThrow();
  });

  test("combining may select the original hitl-overrides", () => {
    expect(validatePolicy({ combining: "hitl-overrides" }).combining).toBe("hitl-overrides");
  });

  test("$schema is allowed at the top level", () => {
    expect(() => validatePolicy({ $schema: "https://example.test/policy.schema.json", rules: [] })).not.toThrow();
  });
});

describe("validatePolicy: rejections (spec §14.2)", () => {
  test("empty, all-null or missing conditions", () => {
    for (const conditions of [{}, { tool_name: null, path_pattern: null }]) {
      const [issue] = issuesOf(rule(conditions));
      expect(issue?.loc).toBe("rules.0.conditions");
      expect(issue?.msg).toContain("would match every request");
    }
    const [missing] = issuesOf({ rules: [{ effect: "allow" }] });
    expect(missing).toMatchObject({ loc: "rules.0.conditions", type: "missing" });
    expect(missing?.msg).toContain("would match every request");
  });

  test("blank strings, alone or as list items", () => {
    expect(issuesOf(rule({ tool_name: "" }))).toEqual([{ loc: "rules.0.conditions.tool_name", type: "empty_string", msg: "must not be an empty string" }]);
    expect(locs(rule({ tool_name: "   " }))).toEqual(["rules.0.conditions.tool_name"]);
    expect(locs(rule({ path_pattern: ["/a/**", ""] }))).toEqual(["rules.0.conditions.path_pattern.1"]);
  });

  test("wrong enum values and types", () => {
    expect(locs({ default_action: "allow" })).toEqual(["default_action"]);
    expect(locs({ rules: [{ effect: "DENY", conditions: { tool_name: "x" } }] })).toEqual(["rules.0.effect"]);
    expect(locs(rule({ resource_type: "TOOL" }))).toEqual(["rules.0.conditions.resource_type"]);
    expect(locs(rule({ operations: ["exec"] }))).toEqual(["rules.0.conditions.operations.0"]);
    expect(locs(rule({ operations: "read" }))).toEqual(["rules.0.conditions.operations"]);
    expect(locs(rule({ side_effects: ["fs_delete"] }))).toEqual(["rules.0.conditions.side_effects.0"]);
    expect(locs(rule({ tool_name: 5 }))).toEqual(["rules.0.conditions.tool_name"]);
    expect(locs({ version: 1 })).toEqual(["version"]);
    expect(locs({ rules: null })).toEqual(["rules"]);
    expect(locs({ rules: {} })).toEqual(["rules"]);
    expect(locs({ combining: "first-applicable" })).toEqual(["combining"]);
    expect(locs([])).toEqual(["policy"]);
    expect(locs({ rules: ["x"] })).toEqual(["rules.0"]);
  });

  test("cache_side_effects on allow or deny rules", () => {
    for (const effect of ["allow", "deny"]) {
      const [issue] = issuesOf({ rules: [{ effect, conditions: { tool_name: "x" }, cache_side_effects: ["fs_read"] }] });
      expect(issue?.loc).toBe("rules.0.cache_side_effects");
      expect(issue?.msg).toContain("only hitl rules");
    }
    expect(locs({ rules: [{ effect: "hitl", conditions: { tool_name: "x" }, cache_side_effects: ["nope"] }] })).toEqual([
      "rules.0.cache_side_effects.0",
    ]);
  });

  test("extension needs its dot; scheme has no colon", () => {
    expect(locs(rule({ extension: "key" }))).toEqual(["rules.0.conditions.extension"]);
    expect(locs(rule({ extension: [".key", "."] }))).toEqual(["rules.0.conditions.extension.1"]);
    expect(locs({ rules: [{ effect: "allow", conditions: { scheme: "file:" } }] })).toEqual(["rules.0.conditions.scheme"]);
  });

  test("invalid regexes are reported where they are", () => {
    const [issue] = issuesOf(rule({ path_regex: ["/ok/.*", "/bad/(unclosed"] }));
    expect(issue).toMatchObject({ loc: "rules.0.conditions.path_regex.1", type: "invalid_regex" });
  });
});

describe("validatePolicy: unknown keys at every level", () => {
  test("top level, rule, conditions and argument matchers", () => {
    const issues = issuesOf({
      rule: [],
      rules: [
        {
          effect: "allow",
          priority: 1,
          conditions: { tool_names: "x", tool_name: "y", arguments: { "/a": { glob: "x", case: "i" } } },
        },
      ],
    });
    expect(issues.map((i) => `${i.loc}:${i.type}`)).toEqual([
      "rule:unknown_key",
      "rules.0.priority:unknown_key",
      "rules.0.conditions.tool_names:unknown_key",
      "rules.0.conditions.arguments./a.case:unknown_key",
    ]);
  });

  test("a condition written at rule level gets a hint", () => {
    const [issue] = issuesOf({ rules: [{ effect: "deny", tool_name: "bash", conditions: { tool_name: "bash" } }] });
    expect(issue?.loc).toBe("rules.0.tool_name");
    expect(issue?.msg).toContain('put it inside "conditions"');
  });
});

describe("validatePolicy: all errors at once", () => {
  test("every problem in every rule is reported, with dotted locations", () => {
    const error = (() => {
      try {
        validatePolicy({
          version: 2,
          rules: [
            { effect: "Allow", conditions: { tool_name: "" } },
            { effect: "deny", conditions: {} },
            { effect: "hitl", conditions: { operations: ["exec"] }, cache_side_effects: "fs_read" },
          ],
        });
      } catch (e) {
        return e as PolicyError;
      }
      throw new Error("expected rejection");
    })();
    expect(error.issues.map((i) => i.loc)).toEqual([
      "version",
      "rules.0.effect",
      "rules.0.conditions.tool_name",
      "rules.1.conditions",
      "rules.2.conditions.operations.0",
      "rules.2.cache_side_effects",
    ]);
    expect(error.message.split("\n")[0]).toBe("Invalid policy (6 errors):");
    expect(error.message).toContain('\nrules.0.effect: must be one of "allow", "deny", "hitl" (lowercase), got the string "Allow"');
  });
});

describe("validatePolicy: attributes missing for the rule's methods are load-time errors", () => {
  test("tool_name with scheme can never match", () => {
    const [issue] = issuesOf(rule({ tool_name: "read_file", scheme: "file" }));
    expect(issue?.type).toBe("unreachable_condition");
    expect(issue?.loc).toBe("rules.0.conditions.scheme");
    expect(issue?.msg).toContain("tool_name limits this rule to tools/call");
  });

  test("a path on prompts/get, a tool on resources, source_path on a resource", () => {
    expect(locs(rule({ mcp_method: "prompts/get", path_pattern: "/a/**" }))).toEqual(["rules.0.conditions.path_pattern"]);
    expect(locs(rule({ mcp_method: "resources/read", tool_name: "x" }))).toEqual(["rules.0.conditions.tool_name"]);
    expect(locs(rule({ resource_type: "prompt", side_effects: ["fs_read"] }))).toEqual(["rules.0.conditions.side_effects"]);
    expect(locs(rule({ resource_type: "resource", source_path: "/a/**" }))).toEqual(["rules.0.conditions.source_path"]);
    expect(locs(rule({ mcp_method: "resources/*", arguments: { "/x": { equals: 1 } } }))).toEqual(["rules.0.conditions.arguments"]);
    expect(locs(rule({ resource_type: "tool", mcp_method: "completion/complete" }))).toEqual(["rules.0.conditions.resource_type"]);
  });

  test("discovery methods are never evaluated, so naming one is an error", () => {
    const [issue] = issuesOf(rule({ mcp_method: ["tools/call", "tools/list"] }));
    expect(issue?.loc).toBe("rules.0.conditions.mcp_method.1");
    expect(issue?.msg).toContain("discovery method");
  });

  test("combinations that some method has are fine", () => {
    expect(() => validatePolicy(rule({ mcp_method: "*", tool_name: "x" }))).not.toThrow();
    expect(() => validatePolicy(rule({ mcp_method: "tools/*", path_pattern: "/a/**" }))).not.toThrow();
    expect(() => validatePolicy(rule({ path_pattern: "/a/**", scheme: "file" }))).not.toThrow();
    expect(() => validatePolicy(rule({ resource_type: "resource", path_regex: "/a/.*", extension: ".md" }))).not.toThrow();
    expect(() => validatePolicy(rule({ mcp_method: "*/call", tool_name: "x" }))).not.toThrow();
    expect(() => validatePolicy(rule({ resource_type: "server", backend_id: "fs", subject_id: "u" }))).not.toThrow();
  });
});

describe("validatePolicy: arguments conditions", () => {
  test("valid matchers of each kind", () => {
    const p = validatePolicy(
      rule({
        tool_name: "bash",
        arguments: { "/command": { glob: "rm *" }, "/opts/force": { equals: true }, "/a~1b/~0c": { regex: ["x.*", "y"] } },
      }),
    );
    expect(Object.keys(p.rules[0]?.conditions.arguments ?? {})).toEqual(["/command", "/opts/force", "/a~1b/~0c"]);
  });

  test("bad pointers, missing or double matchers, bad regex, empty object", () => {
    const issues = issuesOf(
      rule({
        arguments: {
          command: { glob: "x" },
          "/bad~2": { glob: "x" },
          "/none": {},
          "/two": { glob: "x", regex: "y" },
          "/re": { regex: "(" },
          "/blank": { glob: [" "] },
        },
      }),
    );
    expect(issues.map((i) => `${i.loc}:${i.type}`)).toEqual([
      "rules.0.conditions.arguments.command:invalid_pointer",
      "rules.0.conditions.arguments./bad~2:invalid_pointer",
      "rules.0.conditions.arguments./none:invalid_value",
      "rules.0.conditions.arguments./two:invalid_value",
      "rules.0.conditions.arguments./re.regex:invalid_regex",
      "rules.0.conditions.arguments./blank.glob.0:empty_string",
    ]);
    expect(locs(rule({ arguments: {} }))).toEqual(["rules.0.conditions.arguments"]);
  });

  test("a key named __proto__ is treated as data, not as the prototype", () => {
    const doc = JSON.parse('{"rules": [{"effect": "allow", "conditions": {"arguments": {"__proto__": {"equals": 1}}}}]}');
    expect(locs(doc)).toEqual(["rules.0.conditions.arguments.__proto__"]);
    const p = validatePolicy(rule({ tool_name: "x", arguments: { "/__proto__": { equals: 1 } } }));
    const args = p.rules[0]?.conditions.arguments ?? {};
    expect(Object.keys(args)).toEqual(["/__proto__"]);
    expect(Object.getPrototypeOf(args)).toBe(Object.prototype);
  });
});

describe("validatePolicy: rule ids", () => {
  test("duplicate user ids are rejected", () => {
    const [issue] = issuesOf({
      rules: [
        { id: "a", effect: "allow", conditions: { tool_name: "x" } },
        { id: "a", effect: "deny", conditions: { tool_name: "y" } },
      ],
    });
    expect(issue?.type).toBe("duplicate_id");
    expect(issue?.msg).toStartWith('Duplicate rule IDs: {"a"}');
  });

  test("two id-less rules differing only in description collide", () => {
    const [issue] = issuesOf({
      rules: [
        { description: "one", effect: "deny", conditions: { tool_name: "bash" } },
        { description: "two", effect: "deny", conditions: { tool_name: "bash" } },
      ],
    });
    expect(issue).toMatchObject({ loc: "rules.1.id", type: "id_collision" });
    expect(issue?.msg).toStartWith('Rule ID collision: "rule_7e223007"');
  });

  test("a user id equal to a generated one collides", () => {
    const generated = generateRuleId("deny", { tool_name: "bash" });
    const [issue] = issuesOf({
      rules: [
        { id: generated, effect: "allow", conditions: { tool_name: "x" } },
        { effect: "deny", conditions: { tool_name: "bash" } },
      ],
    });
    expect(issue?.type).toBe("id_collision");
  });

  test("whitespace-only and non-string ids are rejected", () => {
    expect(locs({ rules: [{ id: "  ", effect: "allow", conditions: { tool_name: "x" } }] })).toEqual(["rules.0.id"]);
    expect(locs({ rules: [{ id: 3, effect: "allow", conditions: { tool_name: "x" } }] })).toEqual(["rules.0.id"]);
  });
});

describe("parsePolicyText", () => {
  test("invalid JSON is its own error kind", () => {
    try {
      parsePolicyText("{ rules: [", "/x/policy.json");
      throw new Error("expected rejection");
    } catch (error) {
      expect((error as PolicyError).code).toBe(PolicyErrorCode.InvalidJson);
      expect((error as PolicyError).message).toContain("/x/policy.json is not valid JSON");
    }
  });

  test("a UTF-8 byte order mark is tolerated", () => {
    expect(parsePolicyText('\ufeff{"rules": []}').rules).toEqual([]);
  });

  test("schema errors keep the validation code", () => {
    expect(() => parsePolicyText('{"rules": null}')).toThrow(PolicyError);
  });
});
