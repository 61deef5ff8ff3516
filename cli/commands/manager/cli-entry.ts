import { existsSync } from "node:fs";
import { resolve } from "node:path";

/** The mcp-acp entry script (cli/main.ts) this process runs from. */
export const CLI_ENTRY = resolve(import.meta.dir, "..", "..", "main.ts");

/**
 * The argv that runs `mcp-acp <args…>` as this installation does: `bun cli/main.ts …`, or the
 * executable alone when mcp-acp was compiled into one (its bundled entry is not a file on disk).
 */
export function cliCommand(args: readonly string[]): string[] {
  return existsSync(CLI_ENTRY) ? [process.execPath, CLI_ENTRY, ...args] : [process.execPath, ...args];
}
