#!/usr/bin/env bun
// `bun run quickstart`: sets up a demo home under ./.demo with the real CLI commands a user would
// type — init, proxy add in front of the reference filesystem server, install mcp-json — so the
// README's first command shows the whole setup without touching the real home directory.
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dir, "..");
const home = process.env.MCP_ACP_HOME ?? join(root, ".demo");
const sandbox = join(home, "sandbox");
mkdirSync(sandbox, { recursive: true, mode: 0o700 });
const env = { ...process.env, MCP_ACP_HOME: home };
const cli = [process.execPath, join(root, "cli", "main.ts")];

function step(title: string, args: string[]): void {
  process.stderr.write(`\n$ mcp-acp ${args.join(" ")}\n`);
  const proc = Bun.spawnSync([...cli, ...args], { env, stdout: "inherit", stderr: "inherit", stdin: "ignore" });
  if (proc.exitCode !== 0) {
    process.stderr.write(`quickstart: '${title}' failed with exit code ${proc.exitCode}\n`);
    process.exit(proc.exitCode ?? 1);
  }
}

process.stderr.write(`MCP_ACP_HOME=${home}\n`);
step("init", existsSync(join(home, "config", "manager.json")) ? ["init", "--force"] : ["init"]);
const fsServer = join(root, "node_modules", "@modelcontextprotocol", "server-filesystem", "dist", "index.js");
if (!existsSync(join(home, "config", "proxies", "fs", "config.json"))) {
  step("proxy add", [
    "proxy", "add", "--name", "fs", "--server-name", "filesystem",
    "--command", process.execPath, "--args", `${fsServer},${sandbox}`, "--yes",
  ]);
}
step("proxy list", ["proxy", "list"]);
step("config validate", ["config", "validate"]);
step("install mcp-json", ["install", "mcp-json", "--proxy", "fs"]);
