import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

/** The repository's built dashboard (web/dist), when it has been built. */
export const BUILT_DASHBOARD_DIR = resolve(import.meta.dir, "..", "..", "..", "web", "dist");

/** `dir` when it holds a built dashboard (an index.html), else null: the gateway then serves a page saying how to build it. */
export function builtDashboardDir(dir: string = BUILT_DASHBOARD_DIR): string | null {
  try {
    return existsSync(join(dir, "index.html")) && statSync(dir).isDirectory() ? dir : null;
  } catch {
    return null;
  }
}
