// The proxies whose logs a command reads or repairs, each with its log dir
// (`<log_dir>/mcp-acp/proxies/<name>`, log_dir from manager.json). Shared by the audit, logs and
// incidents commands.
import { listProxyNames } from "../../../lib/config/index.ts";
import { controlSocketPath, proxyLogDir, type AppPaths } from "../../../lib/paths/index.ts";
import { failure } from "../../errors.ts";
import { requireInitialized, requireProxy } from "../../proxy-lookup.ts";

export interface ProxyLogTarget {
  name: string;
  /** The proxy's log dir (PLD). */
  logDir: string;
}

/** One proxy (when named) or every configured proxy, in name order. */
export function proxyLogTargets(paths: AppPaths, proxy: string | undefined): ProxyLogTarget[] {
  const manager = requireInitialized(paths);
  const names = proxy !== undefined ? [requireProxy(paths, proxy)] : listProxyNames(paths);
  return names.map((name) => ({ name, logDir: proxyLogDir(manager.log_dir, name) }));
}

export function proxyLogTarget(paths: AppPaths, proxy: string): ProxyLogTarget {
  const [target] = proxyLogTargets(paths, proxy);
  if (target === undefined) throw failure(`Proxy '${proxy}' not found.`);
  return target;
}

/**
 * Refuses when the proxy runs (its control socket answers): its writer appends to the files and
 * updates their state, so a change from outside would race it.
 */
export async function refuseWhileRunning(paths: AppPaths, name: string, what: string): Promise<void> {
  const { isSocketLive } = await import("../../../lib/rpc/index.ts");
  const socket = controlSocketPath(paths, name);
  if (await isSocketLive(socket)) {
    throw failure(
      `Proxy '${name}' is running; ${what} while it writes its logs would race its writer.`,
      `Stop it first (quit the MCP client that started it, its control socket is ${socket}), then run this again.`,
    );
  }
}
