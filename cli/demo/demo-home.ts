// Where the demo keeps its files. It always runs under MCP_ACP_HOME — the one the user set, or
// `.demo` in the checkout — so it can never touch the configuration in the real home directory.
import { join, resolve } from "node:path";
import { HOME_ENV_VAR } from "../../lib/paths/index.ts";

/** The checkout (or installed package) root: cli/demo/../.. */
export const PACKAGE_ROOT = resolve(import.meta.dir, "..", "..");

export const DEFAULT_DEMO_HOME = join(PACKAGE_ROOT, ".demo");

/** `explicit` (an option) wins, then MCP_ACP_HOME, then `<package root>/.demo`; always absolute. */
export function resolveDemoHome(env: Record<string, string | undefined>, explicit?: string): string {
  if (explicit !== undefined && explicit !== "") return resolve(explicit);
  const fromEnv = env[HOME_ENV_VAR];
  return fromEnv !== undefined && fromEnv !== "" ? resolve(fromEnv) : DEFAULT_DEMO_HOME;
}
