// The proxies whose logs a command reads or repairs, each with its log dir
// (`<log_dir>/mcp-acp/proxies/<name>`, log_dir from manager.json). Shared by the audit, logs and
// incidents commands.
import { existsSync } from "node:fs";
import { tryTakeWriterLock, writerLockHolder, writerLockPath } from "../../../lib/audit/index.ts";
import { listProxyNames } from "../../../lib/config/index.ts";
import { controlSocketPath, proxyLogDir, type AppPaths } from "../../../lib/paths/index.ts";
import { failure, type CliError } from "../../errors.ts";
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

async function socketReason(paths: AppPaths, name: string): Promise<string | null> {
  const { isSocketLive } = await import("../../../lib/rpc/index.ts");
  const socket = controlSocketPath(paths, name);
  return (await isSocketLive(socket)) ? `its control socket ${socket} answers` : null;
}

/** Why the proxy counts as running, or null: a live process holds its writer lock, or its control socket answers. */
async function runningReason(paths: AppPaths, target: ProxyLogTarget): Promise<string | null> {
  // The lock first: a headless proxy takes it at once, its control socket opens only after the MCP handshake.
  const holder = writerLockHolder(target.logDir);
  if (holder !== null) return `process ${holder} holds its audit writer lock ${writerLockPath(target.logDir)}`;
  return socketReason(paths, target.name);
}

function proxyRunning(name: string, why: string, what: string): CliError {
  return failure(
    `Proxy '${name}' is running; ${what} while it writes its logs would race its writer (${why}).`,
    "Stop it first (quit the MCP client that started it), then run this again.",
  );
}

/**
 * Refuses when the proxy runs: its writer appends to the files and updates their state, so a
 * change from outside would race it.
 */
export async function refuseWhileRunning(paths: AppPaths, target: ProxyLogTarget, what: string): Promise<void> {
  const why = await runningReason(paths, target);
  if (why !== null) throw proxyRunning(target.name, why, what);
}

/**
 * Refuses when the proxy runs, else takes its writer lock so that a proxy starting meanwhile
 * refuses to start until `change` is done. No log dir: nothing to lock, `change` runs as is.
 */
export async function withWriterLock<T>(paths: AppPaths, target: ProxyLogTarget, what: string, change: () => T): Promise<T> {
  await refuseWhileRunning(paths, target, what);
  if (!existsSync(target.logDir)) return change();
  const attempt = tryTakeWriterLock(target.logDir, "cli");
  if (!attempt.ok) throw proxyRunning(target.name, `process ${attempt.holderPid} holds its audit writer lock ${attempt.path}`, what);
  try {
    // The socket again: a proxy that started just before the lock was taken still answers.
    const why = await socketReason(paths, target.name);
    if (why !== null) throw proxyRunning(target.name, why, what);
    return change();
  } finally {
    attempt.lock.release();
  }
}
