import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CLI_ENTRY, REPO_ROOT } from "../helpers/index.ts";

// The README's first command. It must pass on a fresh home and on a rerun, and each call must
// come out with the decision the sample policy gives it.
const homes: string[] = [];
afterAll(() => {
  for (const home of homes) rmSync(home, { recursive: true, force: true });
});

function freshHome(): string {
  const home = mkdtempSync(join(tmpdir(), "mcp-acp-demo-"));
  homes.push(home);
  return home;
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(cmd: string[], home: string): Promise<Run> {
  const child = Bun.spawn(cmd, {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home, MCP_ACP_HOME: home, NO_COLOR: "1", TMPDIR: tmpdir() },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { code, stdout, stderr };
}

/** call → [mark, decision, rule] from the table. */
function decisions(stdout: string): Map<string, [string, string, string]> {
  const rows = new Map<string, [string, string, string]>();
  for (const line of stdout.split("\n")) {
    const m = /^ {2}([✓✗]) (.+?) {2,}(allowed|denied|hidden|protected|hitl → denied|\?) +(.*)$/.exec(line);
    if (m !== null) rows.set((m[2] as string).trim(), [m[1] as string, m[3] as string, (m[4] as string).trim()]);
  }
  return rows;
}

const EXPECTED: Array<[string, string, string]> = [
  ["tools/list", "hidden", "list filter: only tools some rule permits"],
  ["list_directory .", "allowed", "allow-sandbox-reads"],
  ["read_text_file notes/readme.md", "allowed", "allow-sandbox-reads"],
  ["read_text_file secrets/.env", "denied", "deny-secrets"],
  ["read_text_file ../config/proxies/demo-fs/config.json", "protected", "built-in protected path"],
  ["write_file notes/todo.md", "hitl → denied", "ask-before-writes: no_approver"],
  ["directory_tree . (hidden tool)", "denied", "no rule matched (default deny)"],
];

function expectEveryDecision(result: Run): void {
  expect({ code: result.code, stderr: result.code === 0 ? "" : result.stderr + result.stdout }).toEqual({ code: 0, stderr: "" });
  const rows = decisions(result.stdout);
  expect([...rows.keys()]).toEqual(EXPECTED.map(([call]) => call));
  for (const [call, decision, rule] of EXPECTED) expect(rows.get(call)).toEqual(["✓", decision, rule]);
  expect(result.stdout).toContain("Every call behaved as the policy says (7 of 7).");
}

describe("bun run demo", () => {
  test("shows every decision of the sample policy, on a fresh home and on a rerun", async () => {
    const home = freshHome();
    for (let i = 0; i < 2; i++) {
      const result = await run([process.execPath, "run", "demo"], home);
      expectEveryDecision(result);
      expect(result.stdout).toMatch(/hidden: .*directory_tree/);
      expect(result.stdout).toContain(`MCP_ACP_HOME=${home} `);
      expect(result.stdout).not.toContain("sk-demo-");
    }
    expect(existsSync(join(home, "demo-sandbox", "notes", "todo.md"))).toBe(false);
    expect(statSync(join(home, "config", "proxies", "demo-fs", "policy.json")).mode & 0o777).toBe(0o600);
    expect(statSync(join(home, "config", "proxies", "demo-fs", "config.json")).mode & 0o777).toBe(0o600);
  }, 60_000);

  test("mcp-acp demo runs the same tour, in the folder given by --home", async () => {
    const elsewhere = freshHome();
    const home = join(freshHome(), "nested demo");
    const result = await run([process.execPath, CLI_ENTRY, "demo", "--home", home], elsewhere);
    expectEveryDecision(result);
    expect(existsSync(join(home, "config", "proxies", "demo-fs", "config.json"))).toBe(true);
    expect(existsSync(join(elsewhere, "config"))).toBe(false);
    expect(result.stdout).toContain(`MCP_ACP_HOME='${home}'`);
  }, 60_000);

  test("refuses a home whose manager.json is broken, saying which file to fix", async () => {
    const home = freshHome();
    mkdirSync(join(home, "config"), { recursive: true });
    writeFileSync(join(home, "config", "manager.json"), "{ not json");
    const result = await run([process.execPath, "run", "demo"], home);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Error: The demo home already has a manager.json that cannot be used");
    expect(result.stderr).toContain(join(home, "config", "manager.json"));
  }, 60_000);
});
