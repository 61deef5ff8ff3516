// `install mcp-json` as a real process: valid JSON with absolute, existing paths; clipboard tools.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { isAbsolute } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { ClientSnippet } from "../../lib/config/index.ts";
import { initializedHome, TempHome } from "../helpers/index.ts";

let home: TempHome;
beforeAll(async () => {
  home = await initializedHome();
});
afterAll(() => home.remove());

/** A directory holding fake clipboard tools (shell scripts), used as the whole PATH. */
function toolDir(name: string, tools: Record<string, string>): string {
  const dir = home.path(name);
  mkdirSync(dir, { recursive: true });
  for (const [tool, body] of Object.entries(tools)) {
    writeFileSync(`${dir}/${tool}`, `#!/bin/sh\n${body}\n`);
    chmodSync(`${dir}/${tool}`, 0o755);
  }
  return dir;
}

describe("without proxies", () => {
  test("exit 1 with a proxy add hint", async () => {
    const r = await home.run(["install", "mcp-json"]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("Error: No proxies configured.");
    expect(r.stderr).toContain("mcp-acp proxy add");
  });
});

describe("with proxies", () => {
  beforeAll(async () => {
    for (const name of ["alpha", "beta"]) {
      expect((await home.run(["proxy", "add", "--name", name, "--server-name", name, "--command", `srv-${name}`])).exitCode).toBe(0);
    }
  });

  test("all proxies: stdout is exactly the JSON; command and entry script are absolute and exist", async () => {
    const r = await home.run(["install", "mcp-json"], { env: { PATH: "/nonexistent" } });
    expect(r.exitCode).toBe(0);
    const snippet = JSON.parse(r.stdout) as ClientSnippet;
    expect(Object.keys(snippet.mcpServers)).toEqual(["alpha", "beta"]);
    for (const [name, entry] of Object.entries(snippet.mcpServers)) {
      expect(isAbsolute(entry.command)).toBe(true);
      expect(existsSync(entry.command)).toBe(true);
      const script = entry.args[0] ?? "";
      expect(isAbsolute(script)).toBe(true);
      expect(existsSync(script)).toBe(true);
      expect(script).toEndWith("cli/main.ts");
      expect(entry.args.slice(1)).toEqual(["start", "--proxy", name]);
    }
    expect(r.stderr).toContain("claude_desktop_config.json");
  });

  test("the snippet's command runs this CLI (checked with --version)", async () => {
    const r = await home.run(["install", "mcp-json", "--proxy", "alpha"]);
    const entry = (JSON.parse(r.stdout) as ClientSnippet).mcpServers.alpha;
    expect(entry).toBeDefined();
    const child = Bun.spawnSync([entry?.command ?? "", entry?.args[0] ?? "", "--version"], { env: { PATH: "/nonexistent" } });
    expect(child.exitCode).toBe(0);
    expect(child.stdout.toString()).toStartWith("mcp-acp ");
  });

  test("--proxy selects one", async () => {
    const r = await home.run(["install", "mcp-json", "-p", "beta"]);
    expect(r.exitCode).toBe(0);
    expect(Object.keys((JSON.parse(r.stdout) as ClientSnippet).mcpServers)).toEqual(["beta"]);
  });

  test("an unknown proxy exits 1 listing the available ones", async () => {
    const r = await home.run(["install", "mcp-json", "--proxy", "gamma"]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("Error: Proxy 'gamma' not found.");
    expect(r.stderr).toContain("alpha, beta");
  });

  test("--copy feeds the JSON to the first working clipboard tool", async () => {
    const out = home.path("clipboard.txt");
    const path = toolDir("bin-ok", {
      xclip: 'echo "no display" >&2; exit 1',
      xsel: `[ "$1 $2" = "--clipboard --input" ] || exit 9\nexec /bin/cat > '${out}'`,
    });
    const r = await home.run(["install", "mcp-json", "--copy"], { env: { PATH: path } });
    expect(r.exitCode).toBe(0);
    expect(readFileSync(out, "utf8")).toBe(r.stdout);
    expect(r.stderr).toContain("✓ Copied to the clipboard (xsel).");
  });

  test("--copy without any clipboard tool exits 1 and prints nothing on stdout", async () => {
    const r = await home.run(["install", "mcp-json", "--copy"], { env: { PATH: toolDir("bin-empty", {}) } });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("Error: No clipboard tool found");
  });

  test("--copy when every tool fails exits 1 with their errors", async () => {
    const r = await home.run(["install", "mcp-json", "--copy"], { env: { PATH: toolDir("bin-bad", { xclip: 'echo "Can\'t open display" >&2; exit 1' }) } });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("xclip exited with status 1: Can't open display");
  });
});
