// `policy add` as a real process: rules from flags and from --rule JSON, the whole policy
// validated before writing, ids generated stably, nothing else in the file changed.
import { chmodSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { generateRuleId } from "../../lib/policy/index.ts";
import { initializedHome, modeOf, TempHome, type CliResult } from "../helpers/index.ts";

let home: TempHome;
let policyFile: string;

// Hand-written content the command must keep exactly: $schema, a non-default combining, a rule
// without id, a string-vs-list choice, nulls, an argument matcher, a hitl cache list.
const EXISTING = {
  $schema: "https://example.invalid/policy.schema.json",
  version: "2",
  default_action: "deny",
  combining: "hitl-overrides",
  rules: [
    { description: "no shells", effect: "deny", conditions: { tool_name: "bash", path_pattern: null } },
    {
      id: "ask-rm",
      effect: "hitl",
      conditions: { arguments: { "/command": { glob: "rm *" } }, tool_name: ["run", "exec"] },
      cache_side_effects: [],
    },
  ],
};
const EXISTING_TEXT = JSON.stringify(EXISTING); // compact, unlike what the CLI writes

beforeAll(async () => {
  home = await initializedHome();
  const r = await home.run(["proxy", "add", "--name", "fs", "--server-name", "files", "--command", "npx"]);
  expect(r.exitCode).toBe(0);
  policyFile = home.path("config", "proxies", "fs", "policy.json");
});
afterAll(() => home.remove());

beforeEach(() => {
  writeFileSync(policyFile, EXISTING_TEXT);
});

function add(...args: string[]): Promise<CliResult> {
  return home.run(["policy", "add", "--proxy", "fs", ...args]);
}

interface PolicyDoc {
  rules: Record<string, unknown>[];
  [key: string]: unknown;
}

function written(): PolicyDoc {
  return JSON.parse(readFileSync(policyFile, "utf8")) as PolicyDoc;
}

/** The file is EXISTING with exactly `rule` appended, keys in the same order. */
function expectAppended(rule: Record<string, unknown>): void {
  const doc = written();
  expect(JSON.stringify(doc)).toBe(JSON.stringify({ ...EXISTING, rules: [...EXISTING.rules, rule] }));
}

describe("policy add from flags", () => {
  test("generates the stable id, appends the rule, keeps everything else, writes 0600", async () => {
    chmodSync(policyFile, 0o644);
    const r = await add("--effect", "deny", "--tool", "curl", "--description", "no network");
    expect(r.exitCode).toBe(0);
    const id = generateRuleId("deny", { tool_name: "curl" });
    expect(r.stdout).toContain(`✓ Added rule ${id} to proxy 'fs' (${policyFile})`);
    expect(r.stdout).toContain("A running proxy reloads the file on its own");
    expectAppended({ id, description: "no network", effect: "deny", conditions: { tool_name: "curl" } });
    expect(readFileSync(policyFile, "utf8")).toEndWith("}\n");
    expect(modeOf(policyFile)).toBe(0o600);
    expect((await home.run(["policy", "validate", "-p", "fs"])).exitCode).toBe(0);
  });

  test("the spec's test vector: deny + tool_name bash → rule_7e223007", async () => {
    writeFileSync(policyFile, '{"rules": []}');
    const r = await add("--effect", "deny", "--tool", "bash");
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain("Added rule rule_7e223007");
    expect(written().rules).toEqual([{ id: "rule_7e223007", effect: "deny", conditions: { tool_name: "bash" } }]);
  });

  test("the same rule gets the same id in another home", async () => {
    const other = await initializedHome();
    try {
      expect((await other.run(["proxy", "add", "--name", "x", "--server-name", "x", "--command", "npx"])).exitCode).toBe(0);
      const flags = ["--effect", "allow", "--path", "/srv/**", "--operations", "read, write", "--extension", ".txt,.md"];
      const a = await add(...flags);
      const b = await other.run(["policy", "add", "--proxy", "x", ...flags]);
      expect(a.exitCode).toBe(0);
      expect(b.exitCode).toBe(0);
      const id = generateRuleId("allow", { path_pattern: "/srv/**", operations: ["read", "write"], extension: [".txt", ".md"] });
      expect(a.stdout).toContain(`Added rule ${id} `);
      expect(b.stdout).toContain(`Added rule ${id} `);
    } finally {
      other.remove();
    }
  });

  test("every condition flag maps to its field; comma lists become lists, one item a string", async () => {
    const r = await add(
      "--effect", "hitl", "--id", "all-flags", "--tool", "write_*,edit_*", "--source-path", "/a/**",
      "--dest-path", "/b/**", "--operations", "write", "--backend", "files", "--method", "tools/call",
      "--subject", "alice,bob", "--side-effects", "fs_write", "--cache-side-effects", "fs_write",
    );
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain("Added rule all-flags ");
    expectAppended({
      id: "all-flags",
      effect: "hitl",
      conditions: {
        tool_name: ["write_*", "edit_*"],
        source_path: "/a/**",
        dest_path: "/b/**",
        operations: ["write"],
        backend_id: "files",
        mcp_method: "tools/call",
        subject_id: ["alice", "bob"],
        side_effects: ["fs_write"],
      },
      cache_side_effects: ["fs_write"],
    });
  });

  test("resource conditions: --scheme and --resource-type", async () => {
    const r = await add("--effect", "allow", "--scheme", "file", "--resource-type", "resource");
    expect(r.exitCode).toBe(0);
    const rule = written().rules[2];
    expect(rule).toMatchObject({ effect: "allow", conditions: { scheme: "file", resource_type: "resource" } });
  });

  test("a duplicate id is refused and the file is untouched", async () => {
    const r = await add("--effect", "deny", "--tool", "x", "--id", "ask-rm");
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("Error: Rule id 'ask-rm' is already used by rules.1.");
    expect(readFileSync(policyFile, "utf8")).toBe(EXISTING_TEXT);
  });

  test("a rule identical to an existing one (same generated id) is refused", async () => {
    const r = await add("--effect", "deny", "--tool", "bash", "--description", "other words");
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("Error: An identical rule already exists: rules.0 has the same effect and conditions (id 'rule_7e223007').");
    expect(readFileSync(policyFile, "utf8")).toBe(EXISTING_TEXT);
  });

  test("an invalid rule: every problem with its dotted location, exit 1, file byte-identical", async () => {
    const r = await add("--effect", "deny", "--operations", "read,remove", "--extension", "key", "--cache-side-effects", "fs_read");
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(`Error: The new rule is not valid; ${policyFile} was not changed:`);
    expect(r.stderr).toContain("- rules.2.conditions.operations.1: must be one of");
    expect(r.stderr).toContain("- rules.2.conditions.extension: an extension includes its leading dot");
    expect(r.stderr).toContain("- rules.2.cache_side_effects: only hitl rules may set cache_side_effects");
    expect(readFileSync(policyFile, "utf8")).toBe(EXISTING_TEXT);
  });

  test("no condition at all is refused: it would match every request", async () => {
    const r = await add("--effect", "allow", "--description", "everything");
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("- rules.2.conditions: needs at least one non-null condition");
    expect(readFileSync(policyFile, "utf8")).toBe(EXISTING_TEXT);
  });

  test("command-line mistakes are usage errors (exit 2) and change nothing", async () => {
    const cases: [string[], string][] = [
      [[], "Describe the rule with --rule '<json>'"],
      [["--tool", "x"], "Missing required option --effect"],
      [["--effect", "block", "--tool", "x"], "Invalid value 'block' for --effect"],
      [["--effect", "deny", "--tool", " , "], "Option --tool needs at least one value"],
      [["--rule", '{"effect":"deny","conditions":{"tool_name":"x"}}', "--tool", "y"], "--rule cannot be combined with --tool"],
      [["--rule", "{effect: deny}"], "Invalid value for --rule: not valid JSON"],
    ];
    for (const [args, message] of cases) {
      const r = await add(...args);
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.stdout).toBe("");
    }
    const noProxy = await home.run(["policy", "add", "--effect", "deny", "--tool", "x"]);
    expect(noProxy.exitCode).toBe(2);
    expect(noProxy.stderr).toContain("Missing required option --proxy.");
    expect(readFileSync(policyFile, "utf8")).toBe(EXISTING_TEXT);
  });

  test("an unknown proxy exits 1", async () => {
    const r = await home.run(["policy", "add", "--proxy", "nope", "--effect", "deny", "--tool", "x"]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("Error: Proxy 'nope' not found.");
  });
});

describe("policy add --rule JSON", () => {
  test("any condition, kept as written; the id is generated and put first", async () => {
    const rule = {
      effect: "deny",
      conditions: { arguments: { "/url": { regex: "^http://" } }, tool_name: ["fetch"] },
      description: "plain http",
    };
    const r = await add("--rule", JSON.stringify(rule));
    expect(r.exitCode).toBe(0);
    const id = generateRuleId("deny", rule.conditions);
    expect(r.stdout).toContain(`Added rule ${id} `);
    expectAppended({ id, ...rule });
  });

  test("a given id is kept; a null or empty id is replaced by the generated one", async () => {
    expect((await add("--rule", '{"id":"mine","effect":"allow","conditions":{"tool_name":"ls"}}')).exitCode).toBe(0);
    expect((await add("--rule", '{"id":null,"effect":"allow","conditions":{"tool_name":"cat"}}')).exitCode).toBe(0);
    expect((await add("--rule", '{"effect":"allow","id":"","conditions":{"tool_name":"pwd"}}')).exitCode).toBe(0);
    const rules = written().rules;
    expect(rules.slice(2)).toEqual([
      { id: "mine", effect: "allow", conditions: { tool_name: "ls" } },
      { id: generateRuleId("allow", { tool_name: "cat" }), effect: "allow", conditions: { tool_name: "cat" } },
      { id: generateRuleId("allow", { tool_name: "pwd" }), effect: "allow", conditions: { tool_name: "pwd" } },
    ]);
    expect(Object.keys(rules[4] ?? {})).toEqual(["id", "effect", "conditions"]);
  });

  test("an unknown key is named, at rule level and inside conditions", async () => {
    const r = await add("--rule", '{"effect":"deny","conditions":{"tool_nam":"bash"},"priority":1}');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("- rules.2.priority: unknown key");
    expect(r.stderr).toContain("- rules.2.conditions.tool_nam: unknown condition");
    expect(readFileSync(policyFile, "utf8")).toBe(EXISTING_TEXT);
  });

  test("a condition at rule level gets the hint to move it into conditions", async () => {
    const r = await add("--rule", '{"effect":"deny","tool_name":"bash"}');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('- rules.2.tool_name: unknown key ("tool_name" is a condition: put it inside "conditions")');
  });

  test("not an object is refused", async () => {
    const r = await add("--rule", '["deny"]');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("- rules.2: must be an object");
    expect(readFileSync(policyFile, "utf8")).toBe(EXISTING_TEXT);
  });

  test("a duplicate user id in JSON is refused", async () => {
    const r = await add("--rule", '{"id":"ask-rm","effect":"deny","conditions":{"tool_name":"z"}}');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("Rule id 'ask-rm' is already used by rules.1.");
    expect(readFileSync(policyFile, "utf8")).toBe(EXISTING_TEXT);
  });
});

describe("policy add on a bad current policy", () => {
  test("an invalid policy file is not extended: exit 1, untouched, pointed at policy edit", async () => {
    const broken = '{"rules": [{"effect": "deny"}]}';
    writeFileSync(policyFile, broken);
    const r = await add("--effect", "deny", "--tool", "x");
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(`Error: The policy in ${policyFile} is not valid:`);
    expect(r.stderr).toContain("- rules.0.conditions: is required");
    expect(r.stderr).toContain("mcp-acp policy edit --proxy fs");
    expect(readFileSync(policyFile, "utf8")).toBe(broken);
  });

  test("a missing policy file is not created by add", async () => {
    rmSync(policyFile);
    const r = await add("--effect", "deny", "--tool", "x");
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(`Error: Policy file ${policyFile} not found.`);
    expect(() => readFileSync(policyFile)).toThrow();
  });

  test("a policy without a rules key ({}) gets one", async () => {
    writeFileSync(policyFile, '{"version": "1"}');
    const r = await add("--effect", "deny", "--tool", "bash");
    expect(r.exitCode).toBe(0);
    expect(written()).toEqual({ version: "1", rules: [{ id: "rule_7e223007", effect: "deny", conditions: { tool_name: "bash" } }] });
  });
});
