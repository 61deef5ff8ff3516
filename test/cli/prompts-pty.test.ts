// Interactive prompts under a real pseudo-terminal (util-linux `script`): the CLI sees a TTY on
// stdin and reads the answers fed through it. Skipped, with the reason, when `script` is missing.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { ProxyConfig } from "../../lib/config/index.ts";
import { CLI_ENTRY, initializedHome, runInPty, SCRIPT_BINARY, TempHome, type PtyResult } from "../helpers/index.ts";

const FIXTURE_EDITOR = join(import.meta.dir, "fixtures", "fixture-editor.ts");
const EDITOR = `'${process.execPath}' '${FIXTURE_EDITOR}'`;
const describePty = SCRIPT_BINARY === null ? describe.skip : describe;
if (SCRIPT_BINARY === null) console.warn("prompts-pty: skipped because util-linux `script` is not installed (apt-get install bsdutils).");

let home: TempHome;
beforeAll(async () => {
  home = await initializedHome();
});
afterAll(() => home.remove());

function cli(args: string[], answers: string[], env: Record<string, string> = {}): Promise<PtyResult> {
  return runInPty([process.execPath, CLI_ENTRY, ...args], answers.map((a) => `${a}\n`).join(""), home.env(env));
}

function configOf(name: string): ProxyConfig {
  return JSON.parse(readFileSync(home.path("config", "proxies", name, "config.json"), "utf8")) as ProxyConfig;
}

describePty("proxy add in a terminal", () => {
  test("asks for every missing value and re-asks after a bad answer", async () => {
    const r = await cli(["proxy", "add"], ["_bad", "fs", "Files", "7", "0", "", "npx", '-y, "@scope/pkg"']);
    expect(r.exitCode).toBe(0);
    expect(r.output).toContain("Proxy name:");
    expect(r.output).toContain("✗ Invalid proxy name '_bad': cannot start with '_' or '.'");
    expect(r.output).toContain("Backend server name [fs]:");
    expect(r.output).toContain("[0] stdio");
    expect(r.output).toContain("✗ Enter a number from 0 to 2.");
    expect(r.output).toContain("✗ The command must not be empty.");
    expect(r.output).toContain("✓ Proxy 'fs' created");
    expect(configOf("fs").backend).toEqual({
      server_name: "Files",
      transport: "stdio",
      stdio: { command: "npx", args: ["-y", "@scope/pkg"], attestation: null },
    });
  });

  test("http: the server name defaults to the proxy name; a bad URL is re-asked", async () => {
    const r = await cli(["proxy", "add", "--transport", "http"], ["web", "", "example.com", "https://api.example.com/mcp"]);
    expect(r.exitCode).toBe(0);
    expect(r.output).toContain("✗ Invalid URL 'example.com'");
    expect(configOf("web").backend).toMatchObject({ server_name: "web", transport: "streamablehttp", http: { url: "https://api.example.com/mcp" } });
  });

  test("duplicate backend: answering no cancels, nothing is written", async () => {
    const r = await cli(["proxy", "add", "--name", "fs2", "--server-name", "s", "--command", "npx", "--args", "-y,@scope/pkg"], ["n"]);
    expect(r.exitCode).toBe(1);
    expect(r.output).toContain("Warning: Proxy 'fs' already uses the same backend.");
    expect(r.output).toContain("Continue anyway? [Y/n]");
    expect(r.output).toContain("Error: Cancelled: no proxy was created.");
    expect(existsSync(home.path("config", "proxies", "fs2"))).toBe(false);
  });

  test("duplicate backend: the default answer continues", async () => {
    const r = await cli(["proxy", "add", "--name", "fs3", "--server-name", "s", "--command", "npx", "--args", "-y,@scope/pkg"], [""]);
    expect(r.exitCode).toBe(0);
    expect(existsSync(home.path("config", "proxies", "fs3", "config.json"))).toBe(true);
  });

  test("input closed before an answer: aborted, exit 1, nothing written", async () => {
    const r = await cli(["proxy", "add"], ["halfway"]);
    expect(r.exitCode).toBe(1);
    expect(r.output).toContain("Error: Aborted: input closed before an answer was given.");
    expect(existsSync(home.path("config", "proxies", "halfway"))).toBe(false);
  });
});

describePty("config edit in a terminal", () => {
  test("invalid edit, 'Re-edit?' no: exit 1, file untouched", async () => {
    const file = home.path("config", "manager.json");
    const before = readFileSync(file, "utf8");
    const r = await cli(["config", "edit", "--manager"], ["n"], { EDITOR, FIXTURE_EDIT_WRITE: '{"ui_port": 1}' });
    expect(r.exitCode).toBe(1);
    expect(r.output).toContain("- ui_port:");
    expect(r.output).toContain("Re-edit? [Y/n]");
    expect(r.output).toContain(`Error: ${file} was not changed.`);
    expect(readFileSync(file, "utf8")).toBe(before);
  });

  test("invalid edit, re-edit fixes it: saved after the second editor run", async () => {
    const file = home.path("config", "proxies", "fs", "config.json");
    const valid = readFileSync(file, "utf8").replace('"log_level": "INFO"', '"log_level": "DEBUG"');
    const log = home.path("pty-editor.log");
    const r = await cli(["config", "edit", "--proxy", "fs"], [""], {
      EDITOR,
      FIXTURE_EDIT_LOG: log,
      FIXTURE_EDIT_WRITE_1: valid.replace('"DEBUG"', '"LOUD"'),
      FIXTURE_EDIT_WRITE_2: valid,
    });
    expect(r.exitCode).toBe(0);
    expect(r.output).toContain("- log_level:");
    expect(r.output).toContain(`✓ Saved ${file}`);
    expect(readFileSync(log, "utf8").trim().split("\n")).toHaveLength(2);
    expect(readFileSync(file, "utf8")).toBe(valid);
  });
});
