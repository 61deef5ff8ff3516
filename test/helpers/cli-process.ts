// Runs the real `mcp-acp` CLI as a subprocess against a private MCP_ACP_HOME, so tests never
// touch the user's home and always see what a user would see (exit code, stdout, stderr).
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const REPO_ROOT = resolve(import.meta.dir, "..", "..");
export const CLI_ENTRY = join(REPO_ROOT, "cli", "main.ts");

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface CliRunOptions {
  /** Extra or overriding environment variables (undefined removes one). */
  env?: Record<string, string | undefined>;
  /** Text fed to stdin; without it stdin is /dev/null (not a terminal). */
  stdin?: string;
  cwd?: string;
}

/** A fresh temporary folder used as both HOME and MCP_ACP_HOME. */
export class TempHome {
  readonly dir: string;

  constructor(prefix = "mcp-acp-cli-") {
    this.dir = mkdtempSync(join(tmpdir(), prefix));
  }

  get configDir(): string {
    return join(this.dir, "config");
  }

  path(...parts: string[]): string {
    return join(this.dir, ...parts);
  }

  /** The environment every CLI run gets: nothing from the developer's shell but PATH. */
  env(extra: Record<string, string | undefined> = {}): Record<string, string> {
    const base: Record<string, string | undefined> = {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: this.dir,
      MCP_ACP_HOME: this.dir,
      NO_COLOR: "1",
      TMPDIR: tmpdir(),
      // Proxies attach to a manager a test starts, but never spawn one of their own.
      MCP_ACP_NO_AUTOSTART: "1",
      ...extra,
    };
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(base)) if (value !== undefined) env[key] = value;
    return env;
  }

  async run(args: readonly string[], options: CliRunOptions = {}): Promise<CliResult> {
    const child = Bun.spawn([process.execPath, CLI_ENTRY, ...args], {
      cwd: options.cwd ?? REPO_ROOT,
      env: this.env(options.env),
      stdin: options.stdin === undefined ? "ignore" : new TextEncoder().encode(options.stdin),
      stdout: "pipe",
      stderr: "pipe",
    });
    const [stdout, stderr, exitCode] = await Promise.all([
      new Response(child.stdout).text(),
      new Response(child.stderr).text(),
      child.exited,
    ]);
    return { exitCode, stdout, stderr };
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A TempHome on which `mcp-acp init` has run (local identity, defaults). */
export async function initializedHome(): Promise<TempHome> {
  const home = new TempHome();
  const result = await home.run(["init"]);
  if (result.exitCode !== 0) throw new Error(`mcp-acp init failed in ${home.dir}: ${result.stderr}`);
  return home;
}

/** Permission bits of a file or directory, e.g. 0o600. */
export function modeOf(path: string): number {
  return statSync(path).mode & 0o777;
}
