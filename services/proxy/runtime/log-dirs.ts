// The proxy's log directory (0700 at every level mcp-acp owns) and the directories no MCP tool
// may touch, resolved with realpath so a symlinked home or log_dir cannot hide them.
import { realpathSync } from "node:fs";
import { join } from "node:path";
import { ensurePrivateDir, logRoot, proxyLogDir } from "../../../lib/paths/index.ts";
import { StartupError, StartupErrorCode } from "./errors.ts";

export interface ProxyLogDirs {
  /** `<log_dir>/mcp-acp`, as configured (expanded). */
  root: string;
  /** `<log_dir>/mcp-acp/proxies/<name>`. */
  proxy: string;
}

export function ensureProxyLogDirs(logDir: string, name: string): ProxyLogDirs {
  const root = logRoot(logDir);
  const proxy = proxyLogDir(logDir, name);
  for (const dir of [root, join(root, "proxies"), proxy]) {
    try {
      ensurePrivateDir(dir);
    } catch (error) {
      throw new StartupError(StartupErrorCode.StartupFailed, `Cannot create the log directory ${dir}: ${error instanceof Error ? error.message : String(error)}`, {
        hint: "Check log_dir in manager.json ('mcp-acp config show --manager') and that the directory is writable by you.",
        cause: error,
      });
    }
  }
  return { root, proxy };
}

/** Realpaths of the config dir and the log root: the built-in protected paths. */
export function protectedDirectories(configDir: string, logRootDir: string): string[] {
  return [configDir, logRootDir].map((dir) => {
    try {
      return realpathSync.native(dir);
    } catch (error) {
      throw new StartupError(StartupErrorCode.StartupFailed, `Cannot resolve the protected directory ${dir}: ${error instanceof Error ? error.message : String(error)}`, {
        cause: error,
      });
    }
  });
}
