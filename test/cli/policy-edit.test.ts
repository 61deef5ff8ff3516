// `policy edit` as a real process, with a fixture script as $EDITOR; the re-edit prompt under a
// pseudo-terminal (skipped, with the reason, when util-linux `script` is missing).
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { CLI_ENTRY, initializedHome, modeOf, runInPty, SCRIPT_BINARY, type CliResult, type TempHome } from "../helpers/index.ts";

const FIXTURE_EDITOR = join(import.meta.dir, "fixtures", "fixture-editor.ts");
const EDITOR = `'${process.execPath}' '${FIXTURE_EDITOR}'`;
const describePty = SCRIPT_BINARY === null ? describe.skip : describe;
if (SCRIPT_BINARY === null) console.warn("policy-edit: terminal tests skipped because util-linux `script` is not installed.");

const ORIGINAL = '{\n  "version": "1",\n  "rules": [\n    {"id": "r1", "effect": "deny", "conditions": {"tool_name": "bash"}}\n  ]\n}\n';
const VALID_EDIT = ORIGINAL.replace('"tool_name": "bash"', '"tool_name":   ["bash", "zsh"]');

let home: TempHome;
let policyFile: string;
let scratchTmp: string;

beforeAll(async () => {
  home = await initializedHome();
  const r = await home.run(["proxy", "add", "--name", "fs", "--server-name", "files", "--command", "npx"]);
  expect(r.exitCode).toBe(0);
  policyFile = home.path("config", "proxies", "fs", "policy.json");
  scratchTmp = home.path("tmp");
  mkdirSync(scratchTmp);
});
afterAll(() => home.remove());

let log: string;
let counter = 0;
beforeEach(() => {
  log = home.path(`editor-${++counter}.log`);
  writeFileSync(policyFile, ORIGINAL, { mode: 0o600 });
});

function editorEnv(extra: Record<string, string | undefined>): Record<string, string | undefined> {
  return { EDITOR, TMPDIR: scratchTmp, FIXTURE_EDIT_LOG: log, ...extra };
}

function edit(extra: Record<string, string | undefined>): Promise<CliResult> {
  return home.run(["policy", "edit", "--proxy", "fs"], { env: editorEnv(extra) });
}

function invocations(): number {
  try {
    return readFileSync(log, "utf8").split("\n").filter((l) => l !== "").length;
  } catch {
    return 0;
  }
}

describe("policy edit", () => {
  test("a valid edit is saved verbatim, 0600, scratch removed, reload note shown", async () => {
    const r = await edit({ FIXTURE_EDIT_WRITE: VALID_EDIT });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain(`✓ Saved ${policyFile}`);
    expect(r.stdout).toContain("A running proxy reloads the file on its own");
    expect(readFileSync(policyFile, "utf8")).toBe(VALID_EDIT);
    expect(modeOf(policyFile)).toBe(0o600);
    expect(invocations()).toBe(1);
    expect(readdirSync(scratchTmp)).toEqual([]);
  });

  test("the editor is given the file's current text", async () => {
    // FIND fails (exit 3, so nothing is saved) unless the scratch copy holds the original text.
    const r = await edit({ FIXTURE_EDIT_FIND: '"id": "r1"', FIXTURE_EDIT_REPLACE: '"id": "renamed"' });
    expect(r.exitCode).toBe(0);
    expect(readFileSync(policyFile, "utf8")).toBe(ORIGINAL.replace('"id": "r1"', '"id": "renamed"'));
  });

  test("an invalid edit without a terminal: dotted locations, exit 1, file untouched, editor run once", async () => {
    const r = await edit({ FIXTURE_EDIT_FIND: '"effect": "deny"', FIXTURE_EDIT_REPLACE: '"effect": "DENY"' });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("✗ The edited policy is not valid:");
    expect(r.stderr).toContain("    - rules.0.effect: must be one of");
    expect(r.stderr).toContain(`Error: ${policyFile} was not changed: the edited policy is invalid.`);
    expect(readFileSync(policyFile, "utf8")).toBe(ORIGINAL);
    expect(invocations()).toBe(1);
    expect(readdirSync(scratchTmp)).toEqual([]);
  });

  test("broken JSON is reported and not saved", async () => {
    const r = await edit({ FIXTURE_EDIT_WRITE: '{"rules": [' });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("Invalid JSON:");
    expect(readFileSync(policyFile, "utf8")).toBe(ORIGINAL);
  });

  test("no change: 'No changes.', exit 0, file untouched", async () => {
    const r = await edit({});
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe("No changes.\n");
    expect(readFileSync(policyFile, "utf8")).toBe(ORIGINAL);
    expect(invocations()).toBe(1);
  });

  test("a missing policy is recreated from the deny-all policy", async () => {
    rmSync(policyFile);
    const r = await edit({});
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain(`${policyFile} does not exist; starting from the deny-all policy.`);
    expect(r.stdout).toContain(`✓ Created ${policyFile}`);
    expect(JSON.parse(readFileSync(policyFile, "utf8"))).toEqual({ version: "1", default_action: "deny", rules: [] });
    expect(modeOf(policyFile)).toBe(0o600);
  });

  test("a failing editor exits 1 and saves nothing", async () => {
    const r = await edit({ EDITOR: "false" });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("Error: The editor 'false' exited with status 1; nothing was saved.");
    expect(readFileSync(policyFile, "utf8")).toBe(ORIGINAL);
  });

  test("selector errors: missing --proxy is a usage error, unknown proxy exit 1 without running the editor", async () => {
    const missing = await home.run(["policy", "edit"], { env: editorEnv({}) });
    expect(missing.exitCode).toBe(2);
    const unknown = await home.run(["policy", "edit", "--proxy", "nope"], { env: editorEnv({}) });
    expect(unknown.exitCode).toBe(1);
    expect(unknown.stderr).toContain("Proxy 'nope' not found.");
    expect(invocations()).toBe(0);
  });
});

describePty("policy edit in a terminal", () => {
  function cli(answers: string[], extra: Record<string, string>): ReturnType<typeof runInPty> {
    const env = home.env({ EDITOR, TMPDIR: scratchTmp, FIXTURE_EDIT_LOG: log, ...extra });
    return runInPty([process.execPath, CLI_ENTRY, "policy", "edit", "--proxy", "fs"], answers.map((a) => `${a}\n`).join(""), env);
  }

  test("invalid, then 'Re-edit?' yes with a valid edit: saved", async () => {
    const r = await cli([""], { FIXTURE_EDIT_WRITE_1: '{"rules": [{"effect": "deny"}]}', FIXTURE_EDIT_WRITE_2: VALID_EDIT });
    expect(r.exitCode).toBe(0);
    expect(r.output).toContain("- rules.0.conditions: is required");
    expect(r.output).toContain("Re-edit? [Y/n]");
    expect(r.output).toContain(`✓ Saved ${policyFile}`);
    expect(invocations()).toBe(2);
    expect(readFileSync(policyFile, "utf8")).toBe(VALID_EDIT);
  });

  test("invalid, 'Re-edit?' no: exit 1, file untouched", async () => {
    const r = await cli(["n"], { FIXTURE_EDIT_WRITE: '{"rules": null}' });
    expect(r.exitCode).toBe(1);
    expect(r.output).toContain("- rules: must be a list of rules");
    expect(r.output).toContain(`Error: ${policyFile} was not changed.`);
    expect(invocations()).toBe(1);
    expect(readFileSync(policyFile, "utf8")).toBe(ORIGINAL);
  });
});
