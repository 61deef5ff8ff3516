// `config edit` as a real process, with a fixture script as $EDITOR.
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { initializedHome, modeOf, TempHome, type CliResult } from "../helpers/index.ts";

const FIXTURE_EDITOR = join(import.meta.dir, "fixtures", "fixture-editor.ts");
const EDITOR = `'${process.execPath}' '${FIXTURE_EDITOR}'`;

let home: TempHome;
let managerFile: string;
let fsFile: string;
let scratchTmp: string;

beforeAll(async () => {
  home = await initializedHome();
  managerFile = home.path("config", "manager.json");
  fsFile = home.path("config", "proxies", "fs", "config.json");
  scratchTmp = home.path("tmp");
  mkdirSync(scratchTmp);
  expect((await home.run(["proxy", "add", "--name", "fs", "--server-name", "files", "--command", "npx"])).exitCode).toBe(0);
});
afterAll(() => home.remove());

let log: string;
let counter = 0;
beforeEach(() => {
  log = home.path(`editor-${++counter}.log`);
});

function edit(args: string[], editorEnv: Record<string, string | undefined>): Promise<CliResult> {
  return home.run(["config", "edit", ...args], {
    env: { EDITOR, TMPDIR: scratchTmp, FIXTURE_EDIT_LOG: log, ...editorEnv },
  });
}

function invocations(): number {
  try {
    return readFileSync(log, "utf8").split("\n").filter((l) => l !== "").length;
  } catch {
    return 0;
  }
}

describe("config edit", () => {
  test("a valid edit is saved verbatim, 0600, and the scratch copy is removed", async () => {
    const before = readFileSync(managerFile, "utf8");
    const r = await edit(["--manager"], { FIXTURE_EDIT_FIND: '"ui_port": 8765', FIXTURE_EDIT_REPLACE: '"ui_port":    9999' });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain(`✓ Saved ${managerFile}`);
    expect(readFileSync(managerFile, "utf8")).toBe(before.replace('"ui_port": 8765', '"ui_port":    9999'));
    expect(modeOf(managerFile)).toBe(0o600);
    expect(invocations()).toBe(1);
    expect(readdirSync(scratchTmp)).toEqual([]);
  });

  test("a valid proxy edit is saved", async () => {
    const r = await edit(["--proxy", "fs"], { FIXTURE_EDIT_FIND: '"server_name": "files"', FIXTURE_EDIT_REPLACE: '"server_name": "renamed"' });
    expect(r.exitCode).toBe(0);
    const shown = await home.run(["config", "show", "--proxy", "fs", "--json"]);
    expect(JSON.parse(shown.stdout)).toMatchObject({ backend: { server_name: "renamed" } });
  });

  test("an invalid edit without a terminal: errors, exit 1, file untouched, editor run once", async () => {
    const before = readFileSync(fsFile, "utf8");
    const r = await edit(["--proxy", "fs"], { FIXTURE_EDIT_FIND: '"timeout_seconds": 60', FIXTURE_EDIT_REPLACE: '"timeout_seconds": 1' });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("✗ The edited configuration is not valid:");
    expect(r.stderr).toContain("- hitl.timeout_seconds:");
    expect(r.stderr).toContain(`Error: ${fsFile} was not changed`);
    expect(readFileSync(fsFile, "utf8")).toBe(before);
    expect(invocations()).toBe(1);
    expect(readdirSync(scratchTmp)).toEqual([]);
  });

  test("broken JSON is reported and not saved", async () => {
    const before = readFileSync(managerFile, "utf8");
    const r = await edit(["--manager"], { FIXTURE_EDIT_WRITE: "{ not json" });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("Invalid JSON");
    expect(readFileSync(managerFile, "utf8")).toBe(before);
  });

  test("no change: 'No changes.', exit 0", async () => {
    const before = readFileSync(managerFile, "utf8");
    const r = await edit(["--manager"], {});
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe("No changes.\n");
    expect(readFileSync(managerFile, "utf8")).toBe(before);
    expect(invocations()).toBe(1);
  });

  test("VISUAL is used when EDITOR is unset", async () => {
    const r = await edit(["--manager"], { EDITOR: undefined, VISUAL: EDITOR });
    expect(r.exitCode).toBe(0);
    expect(invocations()).toBe(1);
  });

  test("a failing editor exits 1 and saves nothing", async () => {
    const before = readFileSync(managerFile, "utf8");
    const r = await edit(["--manager"], { EDITOR: "false" });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("Error: The editor 'false' exited with status 1; nothing was saved.");
    expect(readFileSync(managerFile, "utf8")).toBe(before);
  });

  test("a missing editor command exits 1 with a hint", async () => {
    const r = await edit(["--manager"], { EDITOR: "no-such-editor-xyz" });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("(command not found)");
    expect(r.stderr).toContain("$EDITOR");
  });

  test("selector errors: none is a usage error, unknown proxy exit 1", async () => {
    expect((await edit([], {})).exitCode).toBe(2);
    const r = await edit(["--proxy", "nope"], {});
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("Proxy 'nope' not found.");
    expect(invocations()).toBe(0);
  });

  test("not initialized: --manager exits 1 with the init hint", async () => {
    const empty = new TempHome();
    try {
      const r = await empty.run(["config", "edit", "--manager"], { env: { EDITOR } });
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toContain("Error: Not initialized.");
    } finally {
      empty.remove();
    }
  });
});
