import { resolveAppPaths, type AppPaths } from "../lib/paths/index.ts";

/** The app's directories for this process (honours MCP_ACP_HOME). */
export function appPaths(): AppPaths {
  return resolveAppPaths(process.env);
}
