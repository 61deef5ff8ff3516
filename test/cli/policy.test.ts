// `policy path | show | validate` and the policy check of `config validate`, as real processes.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { generateRuleId } from "../../lib/policy/index.ts";
import { initializedHome, TempHome } from "../helpers/index.ts";

let home: TempHome;
let fsPolicy: string;
let webPolicy: string;
let fsConfig: string;

const POLICY = {
  $schema: "https://example.invalid/policy.schema.json",
  version: "3",
  combining: "hitl-overrides",
  rules: [
    { id: "no-shell", description: "Never a shell", effect: "deny", conditions: { tool_name: ["bash", "sh"] } },
    { effect: "allow", conditions: { path_pattern: "/tmp/**", operations: ["read"] } },
    { id: "ask-writes", effect: "hitl", conditions: { side_effects: ["fs_write"] }, cache_side_effects: ["fs_write"] },
  ],
};
const POLICY_TEXT = `${JSON.stringify(POLICY, null, 2)}\n`;
const GENERATED = generateRuleId("allow", { path_pattern: "/tmp/**", operations: ["read"] });

beforeAll(async () => {
  home = await initializedHome();
  for (const name of ["fs", "web"]) {
    const r = await home.run(["proxy", "add", "--name", name, "--server-name", name, "--command", `npx-${name}`]);
    expect(r.exitCode).toBe(0);
  }
  fsPolicy = home.path("config", "proxies", "fs", "policy.json");
  webPolicy = home.path("config", "proxies", "web", "policy.json");
  fsConfig = home.path("config", "proxies", "fs", "config.json");
});
afterAll(() => home.remove());

const DENY_ALL = `${JSON.stringify({ version: "1", default_action: "deny", rules: [] }, null, 2)}\n`;
beforeEach(() => {
  writeFileSync(fsPolicy, POLICY_TEXT);
  writeFileSync(webPolicy, DENY_ALL);
});

describe("policy help", () => {
  for (const path of [["policy"], ["policy", "show"], ["policy", "path"], ["policy", "validate"], ["policy", "add"], ["policy", "edit"]]) {
    test(`mcp-acp ${path.join(" ")} --help`, async () => {
      const r = await home.run([...path, "--help"]);
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toContain(`USAGE mcp-acp ${path.join(" ")}`);
      expect(r.stdout).not.toContain("undefined");
      expect(r.stderr).toBe("");
    });
  }

  test("the root help lists the policy group", async () => {
    expect((await home.run(["--help"])).stdout).toContain("policy");
  });
});

describe("policy path", () => {
  test("prints the absolute path of policy.json (-p and --proxy)", async () => {
    for (const flag of ["--proxy", "-p"]) {
      const r = await home.run(["policy", "path", flag, "fs"]);
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toBe(`${fsPolicy}\n`);
    }
  });

  test("missing --proxy is a usage error; an unknown proxy exits 1 naming the available ones", async () => {
    const missing = await home.run(["policy", "path"]);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain("Missing required option --proxy.");
    const unknown = await home.run(["policy", "path", "--proxy", "nope"]);
    expect(unknown.exitCode).toBe(1);
    expect(unknown.stderr).toContain("Error: Proxy 'nope' not found.");
    expect(unknown.stderr).toContain("Available proxies: fs, web.");
    expect(unknown.stdout).toBe("");
  });
});

describe("policy show", () => {
  test("summary: defaults, rule count, each rule's id, effect, conditions and description", async () => {
    const r = await home.run(["policy", "show", "--proxy", "fs"]);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe("");
    const out = r.stdout;
    expect(out).toContain(`Policy of proxy 'fs' (${fsPolicy})`);
    expect(out).toMatch(/Default action: +deny/);
    expect(out).toMatch(/Combining: +hitl-overrides/);
    expect(out).toMatch(/Version: +3/);
    expect(out).toMatch(/Rules: +3/);
    expect(out).toMatch(/ {2}no-shell\n {4}Effect: +deny\n {4}Conditions: +tool_name=\[bash, sh\]\n {4}Description: Never a shell/);
    expect(out).toContain(`${GENERATED} (generated id)`);
    expect(out).toMatch(/Conditions: +path_pattern=\/tmp\/\*\*, operations=\[read\]/);
    expect(out).toMatch(/ask-writes\n {4}Effect: +hitl\n {4}Conditions: +side_effects=\[fs_write\]\n {4}Cache for: +fs_write/);
  });

  test("an empty policy says every action is denied", async () => {
    const r = await home.run(["policy", "show", "-p", "web"]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/Rules: +0/);
    expect(r.stdout).toContain("No rules: every action is denied.");
  });

  test("--json: exactly one JSON document, defaults applied, generated ids filled in, nothing dropped", async () => {
    const r = await home.run(["policy", "show", "--proxy", "fs", "--json"]);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout)).toEqual({
      version: "3",
      default_action: "deny",
      combining: "hitl-overrides",
      rules: [
        { id: "no-shell", description: "Never a shell", effect: "deny", conditions: { tool_name: ["bash", "sh"] } },
        { id: GENERATED, effect: "allow", conditions: { path_pattern: "/tmp/**", operations: ["read"] } },
        { id: "ask-writes", effect: "hitl", conditions: { side_effects: ["fs_write"] }, cache_side_effects: ["fs_write"] },
      ],
    });
    // Showing never writes: the generated id is not added to the file.
    expect(readFileSync(fsPolicy, "utf8")).toBe(POLICY_TEXT);
  });

  test("control characters in a description are escaped, not sent to the terminal", async () => {
    const rules = [{ id: "r", description: "evil\u001b[2Jtext", effect: "deny", conditions: { tool_name: "x" } }];
    writeFileSync(fsPolicy, JSON.stringify({ rules }));
    const r = await home.run(["policy", "show", "-p", "fs"]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).not.toContain("\u001b");
    expect(r.stdout).toContain("evil\\u001b[2Jtext");
  });

  test("an invalid policy: exit 1, every problem with its dotted location on stderr, nothing on stdout", async () => {
    writeFileSync(fsPolicy, JSON.stringify({ rules: [{ effect: "maybe", conditions: { tool_name: "" } }] }));
    const r = await home.run(["policy", "show", "--proxy", "fs", "--json"]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(`Error: The policy in ${fsPolicy} is not valid:`);
    expect(r.stderr).toContain("- rules.0.effect: must be one of");
    expect(r.stderr).toContain("- rules.0.conditions.tool_name: must not be an empty string");
    expect(r.stderr).toContain("mcp-acp policy edit --proxy fs");
  });

  test("a missing policy file: exit 1 with how to create it", async () => {
    rmSync(fsPolicy);
    const r = await home.run(["policy", "show", "--proxy", "fs"]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(`Error: Policy file ${fsPolicy} not found.`);
    expect(r.stderr).toContain("mcp-acp policy edit --proxy fs");
  });
});

describe("policy validate", () => {
  test("valid: ✓ with the rule count, exit 0", async () => {
    const r = await home.run(["policy", "validate", "--proxy", "fs"]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(`✓ Proxy 'fs'  ${fsPolicy}  (3 rules)\n`);
    expect(r.stderr).toBe("");
  });

  test("without --proxy every proxy is checked", async () => {
    const r = await home.run(["policy", "validate"]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^✓ Proxy 'fs' {2}.*\(3 rules\)$/m);
    expect(r.stdout).toMatch(/^✓ Proxy 'web' .*\(0 rules\)$/m);
  });

  test("invalid: ✗ and one `- <dotted.loc>: <msg>` line per problem, exit 1", async () => {
    const rules = [
      { id: "a", effect: "deny", conditions: { tool_name: "x" } },
      { id: "a", effect: "allow", conditions: { tool_nam: "y" }, cache_side_effects: ["fs_read"] },
    ];
    writeFileSync(fsPolicy, JSON.stringify({ version: 1, rules }));
    const r = await home.run(["policy", "validate"]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/^✗ Proxy 'fs' {2}/m);
    expect(r.stdout).toMatch(/^✓ Proxy 'web'/m);
    expect(r.stdout).toContain("    - version: must be a non-empty string");
    expect(r.stdout).toContain("    - rules.1.conditions.tool_nam: unknown condition");
    expect(r.stdout).toContain("    - rules.1.cache_side_effects: only hitl rules may set cache_side_effects");
    expect(r.stderr).toContain("Error: 1 of 2 policy files is invalid.");
    expect(r.stderr).toContain("mcp-acp policy edit --proxy fs");
    expect((await home.run(["policy", "validate", "--proxy", "web"])).exitCode).toBe(0);
  });

  test("duplicate ids are named", async () => {
    const rules = [
      { id: "a", effect: "deny", conditions: { tool_name: "x" } },
      { id: "a", effect: "allow", conditions: { tool_name: "y" } },
    ];
    writeFileSync(fsPolicy, JSON.stringify({ rules }));
    const r = await home.run(["policy", "validate", "-p", "fs"]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('- rules: Duplicate rule IDs: {"a"} at rules.0.id, rules.1.id');
  });

  test("invalid JSON is reported as such", async () => {
    writeFileSync(fsPolicy, '{"rules": [');
    const r = await home.run(["policy", "validate", "-p", "fs"]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/^✗ Proxy 'fs'/m);
    expect(r.stdout).toContain("    Invalid JSON:");
    expect(r.stderr).toContain("Error: 1 of 1 policy file is invalid.");
  });

  test("missing file: ✗ Not found with how to create it, exit 1", async () => {
    rmSync(fsPolicy);
    const r = await home.run(["policy", "validate", "-p", "fs"]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain(`✗ Proxy 'fs'  ${fsPolicy}\n    Not found. Create it with 'mcp-acp policy edit --proxy fs'`);
  });

  test("an unreadable file is reported, not crashed on", async () => {
    // A directory in place of the file fails to read even for root, unlike chmod 000.
    rmSync(fsPolicy);
    mkdirSync(fsPolicy);
    try {
      const r = await home.run(["policy", "validate", "-p", "fs"]);
      expect(r.exitCode).toBe(1);
      expect(r.stdout).toContain(`    Cannot read ${fsPolicy}:`);
      const shown = await home.run(["policy", "show", "-p", "fs"]);
      expect(shown.exitCode).toBe(1);
      expect(shown.stderr).toContain(`Error: Cannot read ${fsPolicy}:`);
    } finally {
      rmSync(fsPolicy, { recursive: true });
    }
  });

  test("no proxies: nothing to validate, exit 0", async () => {
    const empty = new TempHome();
    try {
      const r = await empty.run(["policy", "validate"]);
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toContain("No proxies configured");
    } finally {
      empty.remove();
    }
  });
});

describe("config validate checks policies too", () => {
  test("all valid: a ✓ line per policy", async () => {
    const r = await home.run(["config", "validate"]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^✓ Proxy 'fs' policy +${fsPolicy}$`, "m"));
    expect(r.stdout).toMatch(/^✓ Proxy 'web' policy/m);
  });

  test("a broken policy: its own ✗ line with the dotted location, exit 1", async () => {
    writeFileSync(fsPolicy, JSON.stringify({ rules: [{ effect: "deny", conditions: {} }] }));
    const r = await home.run(["config", "validate"]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/^✓ Proxy 'fs' +\S*config\.json$/m);
    expect(r.stdout).toMatch(/^✗ Proxy 'fs' policy/m);
    expect(r.stdout).toContain("    - rules.0.conditions: needs at least one non-null condition");
    expect(r.stderr).toContain("Error: 1 of 2 policy files is invalid.");
    expect(r.stderr).toContain("mcp-acp policy edit --proxy <name>");

    const one = await home.run(["config", "validate", "--proxy", "fs"]);
    expect(one.exitCode).toBe(1);
    expect(one.stdout).toMatch(/^✗ Proxy 'fs' policy/m);
    expect(one.stderr).toContain("Error: 1 of 1 policy file is invalid.");
    expect((await home.run(["config", "validate", "--manager"])).exitCode).toBe(0);
    expect((await home.run(["config", "validate", "--proxy", "web"])).exitCode).toBe(0);
  });

  test("a missing policy fails config validate", async () => {
    rmSync(webPolicy);
    const r = await home.run(["config", "validate", "--proxy", "web"]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/^✗ Proxy 'web' policy/m);
    expect(r.stdout).toContain("Not found.");
  });

  test("config and policy both broken: both counted", async () => {
    const original = readFileSync(fsConfig, "utf8");
    try {
      writeFileSync(fsConfig, original.replace('"log_level": "INFO"', '"log_level": "LOUD"'));
      writeFileSync(fsPolicy, "[]");
      const r = await home.run(["config", "validate"]);
      expect(r.exitCode).toBe(1);
      expect(r.stdout).toContain("- policy: the policy must be a JSON object");
      expect(r.stderr).toContain("Error: 1 of 3 configuration files and 1 of 2 policy files are invalid.");
    } finally {
      writeFileSync(fsConfig, original);
    }
  });
});
