import { describe, expect, test } from "bun:test";
import { type CompileOptions, type CompiledPolicy, compilePolicy } from "./compile.ts";
import { type ContextInput, buildDecisionContext } from "./context.ts";
import { evaluate, matchingRules } from "./evaluate.ts";
import { FINAL_RULE_DEFAULT, FINAL_RULE_DISCOVERY, type Decision } from "./model.ts";
import { validatePolicy } from "./validate.ts";

function engine(rules: unknown[], extra: Record<string, unknown> = {}, options: CompileOptions = { version: "v7" }): CompiledPolicy {
  return compilePolicy(validatePolicy({ rules, ...extra }), options);
}

type Overrides = Partial<Omit<ContextInput, "method" | "params">>;

function request(snapshot: CompiledPolicy, method: string, params: unknown, overrides: Overrides = {}): Decision {
  const ctx = buildDecisionContext({
    method,
    params,
    subject: { id: "alice", provenance: "local" },
    backendId: "filesystem",
    proxyName: "fs",
    ...overrides,
  });
  return evaluate(snapshot, ctx);
}

function callTool(snapshot: CompiledPolicy, name: string, args: unknown = {}, overrides: Overrides = {}): Decision {
  return request(snapshot, "tools/call", { name, arguments: args }, overrides);
}

const allowIf = (conditions: unknown) => engine([{ id: "r", effect: "allow", conditions }]);
const allowed = (d: Decision) => d.effect === "allow";

describe("defaults and discovery (spec §14.1)", () => {
  test("{} denies every action with rule default", () => {
    const s = compilePolicy(validatePolicy({}), { version: "v1" });
    for (const [method, params] of [
      ["tools/call", { name: "read_file", arguments: { path: "/a" } }],
      ["resources/read", { uri: "file:///a" }],
      ["prompts/get", { name: "p" }],
      ["completion/complete", {}],
      ["x/custom", {}],
    ] as const) {
      const d = request(s, method, params);
      expect(d).toMatchObject({ effect: "deny", finalRuleId: FINAL_RULE_DEFAULT, matchedRuleIds: [], policyVersion: "v1" });
    }
  });

  test("discovery is allowed with discovery_bypass, whatever the rules say", () => {
    const s = engine([{ effect: "deny", conditions: { mcp_method: "*" } }]);
    for (const method of ["tools/list", "initialize", "ping", "notifications/initialized"]) {
      expect(request(s, method, {})).toMatchObject({ effect: "allow", finalRuleId: FINAL_RULE_DISCOVERY, matchedRuleIds: [] });
    }
    expect(matchingRules(s, buildDecisionContext({ method: "ping", subject: { id: "a", provenance: "l" }, backendId: "b", proxyName: "p" }))).toEqual([]);
  });
});

describe("each condition type", () => {
  test("tool_name: shell glob, case-insensitive", () => {
    const s = allowIf({ tool_name: ["READ_*", "Bash"] });
    expect(allowed(callTool(s, "read_file"))).toBe(true);
    expect(allowed(callTool(s, "BASH"))).toBe(true);
    expect(allowed(callTool(s, "write_file"))).toBe(false);
    expect(allowed(request(s, "resources/read", { uri: "file:///a" }))).toBe(false);
  });

  test("path_pattern: path glob against the normalised path", () => {
    const s = allowIf({ path_pattern: "/project/**" });
    expect(allowed(callTool(s, "read_file", { path: "/project/src/a.ts" }))).toBe(true);
    expect(allowed(callTool(s, "read_file", { path: "/project/../etc/passwd" }))).toBe(false);
    expect(allowed(callTool(s, "read_file", { path: "/projectX/a" }))).toBe(false);
    expect(allowed(callTool(s, "read_file", {}))).toBe(false);
  });

  test("path_pattern lists with different literal prefixes match each item", () => {
    const s = allowIf({ path_pattern: ["/alpha/**", "/beta/*.md", "**/shared/**", "/"] });
    expect(allowed(callTool(s, "read_file", { path: "/alpha" }))).toBe(true);
    expect(allowed(callTool(s, "read_file", { path: "/beta/x.md" }))).toBe(true);
    expect(allowed(callTool(s, "read_file", { path: "/z/shared/k" }))).toBe(true);
    expect(allowed(callTool(s, "read_file", { path: "/" }))).toBe(false);
    expect(allowed(callTool(s, "read_file", { path: "/gamma/x.md" }))).toBe(false);
  });

  test("path_regex: whole-path regex", () => {
    const s = allowIf({ path_regex: "/data/[0-9]{4}/.*\\.csv" });
    expect(allowed(callTool(s, "read_file", { path: "/data/2024/x.csv" }))).toBe(true);
    expect(allowed(callTool(s, "read_file", { path: "/data/24/x.csv" }))).toBe(false);
    expect(allowed(callTool(s, "read_file", { path: "/data/2024/x.csv.bak" }))).toBe(false);
    expect(allowed(callTool(s, "read_file", { path: "/prefix/data/2024/x.csv" }))).toBe(false);
  });

  test("source_path and dest_path", () => {
    const s = allowIf({ source_path: "/in/**", dest_path: "/out/**" });
    expect(allowed(callTool(s, "move_file", { source: "/in/a", destination: "/out/a" }))).toBe(true);
    expect(allowed(callTool(s, "move_file", { source: "/in/a", destination: "/etc/a" }))).toBe(false);
    expect(allowed(callTool(s, "move_file", { source: "/in/a" }))).toBe(false);
  });

  test("operations: membership of the inferred operation; unknown never matches", () => {
    const s = allowIf({ operations: ["read", "write"] });
    expect(allowed(callTool(s, "read_file"))).toBe(true);
    expect(allowed(callTool(s, "update_record"))).toBe(true);
    expect(allowed(callTool(s, "delete_file"))).toBe(false);
    expect(allowed(callTool(s, "frobnicate"))).toBe(false);
  });

  test("extension: exact, case-insensitive, dot included", () => {
    const s = allowIf({ extension: [".md", ".TXT"] });
    expect(allowed(callTool(s, "read_file", { path: "/a/README.MD" }))).toBe(true);
    expect(allowed(callTool(s, "read_file", { path: "/a/b.txt" }))).toBe(true);
    expect(allowed(callTool(s, "read_file", { path: "/a/b.md.bak" }))).toBe(false);
    expect(allowed(callTool(s, "read_file", { path: "/a/.md" }))).toBe(false);
  });

  test("scheme: exact, case-insensitive", () => {
    const s = allowIf({ scheme: "HTTPS" });
    expect(allowed(request(s, "resources/read", { uri: "https://x.test/a" }))).toBe(true);
    expect(allowed(request(s, "resources/read", { uri: "http://x.test/a" }))).toBe(false);
  });

  test("backend_id: shell glob, case-insensitive", () => {
    const s = allowIf({ backend_id: "File*" });
    expect(allowed(callTool(s, "x"))).toBe(true);
    expect(allowed(callTool(s, "x", {}, { backendId: "github" }))).toBe(false);
  });

  test("resource_type", () => {
    const s = allowIf({ resource_type: "prompt" });
    expect(allowed(request(s, "prompts/get", { name: "p" }))).toBe(true);
    expect(allowed(callTool(s, "x"))).toBe(false);
    const server = allowIf({ resource_type: "server" });
    expect(allowed(request(server, "completion/complete", {}))).toBe(true);
  });

  test("mcp_method: shell glob whose * crosses /, case-sensitive", () => {
    const s = allowIf({ mcp_method: "resources/*" });
    expect(allowed(request(s, "resources/read", { uri: "https://x" }))).toBe(true);
    expect(allowed(request(s, "resources/deep/custom", {}))).toBe(true);
    expect(allowed(callTool(s, "x"))).toBe(false);
    const exact = allowIf({ mcp_method: "Prompts/get" });
    expect(allowed(request(exact, "prompts/get", { name: "p" }))).toBe(false);
  });

  test("subject_id: exact and case-sensitive; a missing subject never matches", () => {
    const s = allowIf({ subject_id: ["alice", "bob"] });
    expect(allowed(callTool(s, "x"))).toBe(true);
    expect(allowed(callTool(s, "x", {}, { subject: { id: "Alice", provenance: "local" } }))).toBe(false);
    expect(allowed(callTool(s, "x", {}, { subject: { id: null, provenance: "derived" } }))).toBe(false);
  });

  test("side_effects: any overlap; unknown tools never match", () => {
    const s = allowIf({ side_effects: ["network_egress", "email_send"] });
    expect(allowed(callTool(s, "curl"))).toBe(true);
    expect(allowed(callTool(s, "SEND_EMAIL"))).toBe(true);
    expect(allowed(callTool(s, "read_file"))).toBe(false);
    expect(allowed(callTool(s, "my_custom_tool"))).toBe(false);
  });
});

describe("arguments conditions", () => {
  test("glob (shell dialect, case-sensitive) on a string argument", () => {
    const s = engine([
      { effect: "allow", conditions: { tool_name: "bash" } },
      { id: "no-rm", effect: "deny", conditions: { tool_name: "bash", arguments: { "/command": { glob: "rm *" } } } },
    ]);
    expect(callTool(s, "bash", { command: "rm -rf /" })).toMatchObject({ effect: "deny", finalRuleId: "no-rm" });
    expect(callTool(s, "bash", { command: "ls /tmp" }).effect).toBe("allow");
    expect(callTool(s, "bash", { command: "RM -rf /" }).effect).toBe("allow");
    expect(callTool(s, "bash", {}).effect).toBe("allow");
  });

  test("regex must match the whole value", () => {
    const s = allowIf({ tool_name: "bash", arguments: { "/command": { regex: "ls( -la)?" } } });
    expect(allowed(callTool(s, "bash", { command: "ls" }))).toBe(true);
    expect(allowed(callTool(s, "bash", { command: "ls -la" }))).toBe(true);
    expect(allowed(callTool(s, "bash", { command: "ls; rm -rf /" }))).toBe(false);
  });

  test("equals compares JSON values deeply", () => {
    const s = allowIf({ tool_name: "t", arguments: { "/opts": { equals: { mode: "ro", n: [1, 2] } }, "/dry": { equals: true } } });
    expect(allowed(callTool(s, "t", { opts: { n: [1, 2], mode: "ro" }, dry: true }))).toBe(true);
    expect(allowed(callTool(s, "t", { opts: { n: [1, 2], mode: "ro", x: 1 }, dry: true }))).toBe(false);
    expect(allowed(callTool(s, "t", { opts: { n: [2, 1], mode: "ro" }, dry: true }))).toBe(false);
    expect(allowed(callTool(s, "t", { opts: { n: [1, 2], mode: "ro" }, dry: "true" }))).toBe(false);
    const nul = allowIf({ tool_name: "t", arguments: { "/x": { equals: null } } });
    expect(allowed(callTool(nul, "t", { x: null }))).toBe(true);
    expect(allowed(callTool(nul, "t", {}))).toBe(false);
  });

  test("JSON pointers: nesting, array indexes, ~0 and ~1 escapes, the whole object", () => {
    const s = engine([
      { id: "slash", effect: "allow", conditions: { tool_name: "t", arguments: { "/a~1b": { equals: 1 } } } },
      { id: "tilde", effect: "allow", conditions: { tool_name: "t", arguments: { "/c~0d/0/e": { glob: "x*" } } } },
      { id: "whole", effect: "allow", conditions: { tool_name: "w", arguments: { "": { equals: {} } } } },
      { id: "proto", effect: "allow", conditions: { tool_name: "p", arguments: { "/__proto__": { equals: 1 } } } },
    ]);
    expect(callTool(s, "t", { "a/b": 1 }).finalRuleId).toBe("slash");
    expect(callTool(s, "t", { "c~d": [{ e: "xyz" }] }).finalRuleId).toBe("tilde");
    expect(callTool(s, "t", { "c~d": { "0": { e: "xyz" } } }).finalRuleId).toBe("tilde");
    expect(callTool(s, "t", { "c~d": [{ e: "y" }] }).effect).toBe("deny");
    expect(callTool(s, "t", { "c~d": [] }).effect).toBe("deny");
    expect(callTool(s, "w", {}).finalRuleId).toBe("whole");
    expect(callTool(s, "w", { a: 1 }).effect).toBe("deny");
    expect(callTool(s, "p", {}).effect).toBe("deny");
    expect(callTool(s, "p", JSON.parse('{"__proto__": 1}')).finalRuleId).toBe("proto");
  });

  test("numbers and booleans are matched in JSON text form; objects never match a glob", () => {
    const s = allowIf({ tool_name: "t", arguments: { "/n": { regex: "[0-9]+" } } });
    expect(allowed(callTool(s, "t", { n: 42 }))).toBe(true);
    expect(allowed(callTool(s, "t", { n: "42" }))).toBe(true);
    expect(allowed(callTool(s, "t", { n: [42] }))).toBe(false);
    expect(allowed(callTool(s, "t", { n: { v: 42 } }))).toBe(false);
  });
});

describe("lists, AND and null semantics (spec §14.6)", () => {
  test("list items are ORed, fields are ANDed", () => {
    const s = allowIf({ tool_name: ["a", "b"], path_pattern: "/ok/**" });
    expect(allowed(callTool(s, "a", { path: "/ok/1" }))).toBe(true);
    expect(allowed(callTool(s, "b", { path: "/ok/1" }))).toBe(true);
    expect(allowed(callTool(s, "b", { path: "/no/1" }))).toBe(false);
    expect(allowed(callTool(s, "c", { path: "/ok/1" }))).toBe(false);
  });

  test("an empty list never matches", () => {
    for (const conditions of [{ tool_name: [] }, { tool_name: "x", path_pattern: [] }, { side_effects: [] }, { mcp_method: [] }]) {
      const s = allowIf(conditions);
      expect(allowed(callTool(s, "x", { path: "/a" }))).toBe(false);
    }
  });

  test("a path rule does not match a call without a path", () => {
    const s = engine([{ effect: "deny", conditions: { path_pattern: "/**" } }, { effect: "allow", conditions: { tool_name: "x" } }]);
    expect(callTool(s, "x", {}).effect).toBe("allow");
    expect(callTool(s, "x", { path: "/a" }).effect).toBe("deny");
  });
});

describe("combining (design §4: deny-overrides)", () => {
  const rules = [
    { id: "broad-hitl", effect: "hitl", conditions: { tool_name: "*" } },
    { id: "allow-read", effect: "allow", conditions: { tool_name: "read_file" } },
    { id: "deny-secrets", effect: "deny", conditions: { path_pattern: "/secrets/**" } },
  ];

  test("deny beats hitl beats allow, whatever the file order", () => {
    const s = engine(rules);
    expect(callTool(s, "read_file", { path: "/secrets/k" })).toMatchObject({ effect: "deny", finalRuleId: "deny-secrets" });
    expect(callTool(s, "read_file", { path: "/pub/k" })).toMatchObject({ effect: "hitl", finalRuleId: "broad-hitl" });
    const reversed = engine([...rules].reverse());
    expect(callTool(reversed, "read_file", { path: "/secrets/k" }).effect).toBe("deny");
    const onlyAllow = engine([rules[1]]);
    expect(callTool(onlyAllow, "read_file", { path: "/pub/k" }).effect).toBe("allow");
  });

  test("hitl-overrides reproduces the original's HITL > DENY", () => {
    const s = engine(rules, { combining: "hitl-overrides" });
    expect(callTool(s, "read_file", { path: "/secrets/k" })).toMatchObject({ effect: "hitl", finalRuleId: "broad-hitl" });
  });

  test("matched rules are listed in file order with what the log needs", () => {
    const s = engine([
      { id: "a", description: "first", effect: "allow", conditions: { tool_name: "read_file" } },
      { id: "b", effect: "hitl", conditions: { tool_name: "read_*" }, cache_side_effects: ["fs_read"] },
      { id: "c", effect: "allow", conditions: { tool_name: "write_file" } },
    ]);
    const d = callTool(s, "read_file");
    expect(d.matchedRuleIds).toEqual(["a", "b"]);
    expect(d.matchedRules).toEqual([
      { id: "a", description: "first", effect: "allow", specificity: 110, cacheSideEffects: null },
      { id: "b", description: null, effect: "hitl", specificity: 100, cacheSideEffects: ["fs_read"] },
    ]);
    expect(d.finalRule).toEqual(d.matchedRules[1] ?? null);
    expect(d.reason).toBe('hitl by rule "b" (2 rules matched, deny-overrides)');
    expect(d.policyVersion).toBe("v7");
  });
});

describe("final rule: most specific with the winning effect (spec §14.8)", () => {
  test("the more specific rule wins over an earlier, broader one", () => {
    const s = engine([
      { id: "broad", effect: "deny", conditions: { path_pattern: "/a/**" } },
      { id: "narrow", effect: "deny", conditions: { tool_name: "read_file", path_pattern: "/a/b/c/**" } },
      { id: "allow", effect: "allow", conditions: { tool_name: "read_file", path_pattern: "/a/b/c/d.txt", extension: ".txt" } },
    ]);
    expect(callTool(s, "read_file", { path: "/a/b/c/d.txt" })).toMatchObject({ effect: "deny", finalRuleId: "narrow" });
  });

  test("ties go to the earliest rule in the file", () => {
    const s = engine([
      { id: "first", effect: "allow", conditions: { tool_name: "x" } },
      { id: "second", effect: "allow", conditions: { tool_name: "x" } },
    ]);
    expect(callTool(s, "x").finalRuleId).toBe("first");
  });
});

describe("several paths in one call", () => {
  test("every path must be permitted: one uncovered path denies by default", () => {
    const s = engine([{ id: "tmp", effect: "allow", conditions: { tool_name: "read_multiple_files", path_pattern: "/tmp/**" } }]);
    expect(callTool(s, "read_multiple_files", { paths: ["/tmp/a", "/tmp/b"] })).toMatchObject({ effect: "allow", finalRuleId: "tmp" });
    const d = callTool(s, "read_multiple_files", { paths: ["/tmp/a", "/etc/shadow"] });
    expect(d).toMatchObject({ effect: "deny", finalRuleId: FINAL_RULE_DEFAULT, matchedRuleIds: ["tmp"] });
    expect(d.reason).toContain('"/etc/shadow"');
  });

  test("different rules may cover different paths; the strictest verdict wins", () => {
    const s = engine([
      { id: "a", effect: "allow", conditions: { path_pattern: "/a/**" } },
      { id: "b", effect: "hitl", conditions: { path_pattern: "/b/**" } },
      { id: "c", effect: "deny", conditions: { path_pattern: "/c/**" } },
    ]);
    expect(callTool(s, "x", { paths: ["/a/1", "/a/2"] }).effect).toBe("allow");
    expect(callTool(s, "x", { paths: ["/a/1", "/b/2"] })).toMatchObject({ effect: "hitl", finalRuleId: "b" });
    expect(callTool(s, "x", { paths: ["/a/1", "/b/2", "/c/3"] })).toMatchObject({ effect: "deny", finalRuleId: "c" });
  });

  test("a deny on the destination is not hidden behind the source (original checked only the primary path)", () => {
    const s = engine([
      { effect: "allow", conditions: { tool_name: "move_file" } },
      { id: "no-etc", effect: "deny", conditions: { path_pattern: "/etc/**" } },
    ]);
    expect(callTool(s, "move_file", { source: "/tmp/x", destination: "/etc/cron.d/x" })).toMatchObject({ effect: "deny", finalRuleId: "no-etc" });
  });

  test("each source of a multi-source call is tested against source_path", () => {
    const s = engine([{ effect: "allow", conditions: { source_path: "/in/**", dest_path: "/out/**" } }]);
    expect(callTool(s, "copy", { source: ["/in/a", "/in/b"], destination: "/out" }).effect).toBe("allow");
    expect(callTool(s, "copy", { source: ["/in/a", "/private/b"], destination: "/out" }).effect).toBe("deny");
  });
});

describe("URI and path normalisation reach the matcher", () => {
  test("a percent-encoded file:// URI is decoded before matching", () => {
    const s = allowIf({ path_pattern: "/tmp/a b" });
    expect(allowed(request(s, "resources/read", { uri: "file:///tmp/a%20b" }))).toBe(true);
    expect(allowed(callTool(s, "read_file", { path: "file:///tmp/a%20b" }))).toBe(true);
  });

  test("a deny cannot be dodged with .. or doubled slashes", () => {
    const s = engine([
      { effect: "allow", conditions: { path_pattern: "/home/**" } },
      { id: "ssh", effect: "deny", conditions: { path_pattern: "/home/al/.ssh/**" } },
    ]);
    expect(callTool(s, "read_file", { path: "/home/al/x/../.ssh/id_rsa" }).finalRuleId).toBe("ssh");
    expect(callTool(s, "read_file", { path: "/home//al/./.ssh//id_rsa" }).finalRuleId).toBe("ssh");
    expect(request(s, "resources/read", { uri: "file:///home/al/%2E%2E/al/.ssh/id_rsa" }).finalRuleId).toBe("ssh");
  });

  test("optional case folding for deny paths", () => {
    const rules = [
      { effect: "allow", conditions: { path_pattern: "/data/**" } },
      { id: "no-secret", effect: "deny", conditions: { path_pattern: "/data/secret/**" } },
    ];
    expect(callTool(engine(rules), "read_file", { path: "/data/SECRET/k" }).effect).toBe("allow");
    const folded = engine(rules, {}, { version: "v", foldCaseInDenyPaths: true });
    expect(callTool(folded, "read_file", { path: "/data/SECRET/k" }).finalRuleId).toBe("no-secret");
  });
});

describe("snapshots", () => {
  test("a compiled snapshot is unaffected by later changes to the policy object", () => {
    const policy = validatePolicy({ rules: [{ id: "a", effect: "allow", conditions: { tool_name: "x" } }] });
    const s = compilePolicy(policy, { version: "v1" });
    policy.rules.length = 0;
    expect(callTool(s, "x").effect).toBe("allow");
  });

  test("the default version is a digest of the policy content", () => {
    const a = compilePolicy(validatePolicy({ rules: [{ effect: "allow", conditions: { tool_name: "x" } }] }));
    const b = compilePolicy(validatePolicy({ rules: [{ effect: "allow", conditions: { tool_name: "y" } }] }));
    expect(a.version).toMatch(/^sha256:[0-9a-f]{16}$/);
    expect(a.version).not.toBe(b.version);
  });

  test("memoised candidate lists do not leak between backends or subjects", () => {
    const s = engine([{ effect: "allow", conditions: { tool_name: "x", backend_id: "fs", subject_id: "alice" } }]);
    expect(callTool(s, "x", {}, { backendId: "fs" }).effect).toBe("allow");
    expect(callTool(s, "x", {}, { backendId: "db" }).effect).toBe("deny");
    expect(callTool(s, "x", {}, { backendId: "fs", subject: { id: "bob", provenance: "l" } }).effect).toBe("deny");
    expect(callTool(s, "x", {}, { backendId: "fs" }).effect).toBe("allow");
  });

  test("names differing only in case share tool_name matches but keep their own inferred operation", () => {
    const s = engine([{ effect: "allow", conditions: { tool_name: "readfile", operations: ["read"] } }]);
    expect(callTool(s, "readfile").effect).toBe("deny");
    expect(callTool(s, "readFile").effect).toBe("allow");
    expect(callTool(s, "readfile").effect).toBe("deny");
  });

  test("compilePolicy validates hand-built objects too", () => {
    const bogus = { version: "1", default_action: "deny", combining: "deny-overrides", rules: [{ id: "x", effect: "allow", conditions: {} }] };
    expect(() => compilePolicy(bogus as never)).toThrow("rules.0.conditions");
  });
});
