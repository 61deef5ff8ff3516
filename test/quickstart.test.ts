import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// The README's first command runs this script; it must work on a fresh home and on a rerun.
const home = mkdtempSync(join(tmpdir(), "mcp-acp-quickstart-"));
afterAll(() => rmSync(home, { recursive: true, force: true }));

function quickstart(): { code: number | null; stdout: string; stderr: string } {
  const proc = Bun.spawnSync([process.execPath, join(import.meta.dir, "..", "scripts", "quickstart.ts")], {
    env: { ...process.env, MCP_ACP_HOME: home, NO_COLOR: "1" },
    stdin: "ignore",
  });
  return { code: proc.exitCode, stdout: proc.stdout.toString(), stderr: proc.stderr.toString() };
}

test("quickstart sets up a proxy and prints a usable client snippet, twice in a row", () => {
  for (let run = 0; run < 2; run++) {
    const { code, stdout, stderr } = quickstart();
    expect({ code, stderr: code === 0 ? "" : stderr }).toEqual({ code: 0, stderr: "" });
    const snippetStart = stdout.lastIndexOf('{\n  "mcpServers"');
    const snippet = JSON.parse(stdout.slice(snippetStart)) as {
      mcpServers: Record<string, { command: string; args: string[] }>;
    };
    const fs = snippet.mcpServers.fs;
    expect(fs?.args.slice(1)).toEqual(["start", "--proxy", "fs"]);
    expect(statSync(fs?.command ?? "").isFile()).toBe(true);
  }
  expect(statSync(join(home, "config", "proxies", "fs", "policy.json")).mode & 0o777).toBe(0o600);
});
