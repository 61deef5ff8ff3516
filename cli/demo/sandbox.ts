// The demo's sandbox: a small project folder the filesystem server is allowed to serve. Rewritten
// on every run so the demo always shows the same thing, whatever a previous run left behind.
import { chmodSync, mkdirSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { ensurePrivateDir } from "../../lib/paths/index.ts";

/** A value that must never reach the client: the demo checks that the denied read hides it. */
export const DEMO_SECRET_VALUE = "sk-demo-7f3a91c2-not-a-real-key";

export const README_FIRST_LINE = "# Demo project notes";

/** Relative path → content. */
export const SANDBOX_FILES: Readonly<Record<string, string>> = {
  "notes/readme.md": `${README_FIRST_LINE}\n\nThis folder is served by @modelcontextprotocol/server-filesystem behind an mcp-acp proxy.\n`,
  "src/app.ts": 'export function greet(name: string): string {\n  return `Hello, ${name}`;\n}\n',
  "secrets/.env": `DEMO_API_KEY=${DEMO_SECRET_VALUE}\n`,
};

/** The file the demo tries to write; the policy asks a human, so it must never appear. */
export const WRITE_TARGET = "notes/todo.md";

/**
 * Creates (or resets) the sandbox under `dir` and returns its real path, which is what the
 * filesystem server reports and what the policy's path patterns must name.
 */
export function prepareSandbox(dir: string): string {
  ensurePrivateDir(dir);
  rmSync(join(dir, WRITE_TARGET), { force: true });
  for (const [relative, content] of Object.entries(SANDBOX_FILES)) {
    const file = join(dir, relative);
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, content, { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return realpathSync(dir);
}
