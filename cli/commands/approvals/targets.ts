// Which proxies an approvals command talks to: the one named with --proxy (which must be
// configured and running), or every configured proxy that is running right now. Each running
// proxy is asked in parallel; one proxy's failure does not hide the others' answers.
import { listProxyNames } from "../../../lib/config/index.ts";
import type { AppPaths } from "../../../lib/paths/index.ts";
import { RpcError } from "../../../lib/rpc/index.ts";
import {
  connectRunningProxy,
  errorText,
  isUnimplemented,
  openProxyConnection,
  runningProxies,
  type ControlClient,
  type ProxyConnection,
} from "../../control-client.ts";
import { CliError, failure } from "../../errors.ts";
import { requireProxy } from "../../proxy-lookup.ts";
import { printWarning } from "../../ui/index.ts";

export const PROXY_FILTER_OPTION = {
  proxy: { type: "string", alias: "p", description: "Only this proxy (default: every running proxy)", valueHint: "name" },
} as const;

export interface ProxyTargets {
  /** Every proxy considered, in name order. */
  names: string[];
  /** Open connections to the running ones; close them with closeAll(). */
  connections: ProxyConnection[];
  /** Whether one proxy was named with --proxy. */
  explicit: boolean;
}

/** The named proxy (configured, running: else exit 1) or every running configured proxy. */
export async function reachProxies(paths: AppPaths, proxy: string | undefined): Promise<ProxyTargets> {
  if (proxy !== undefined) {
    const name = requireProxy(paths, proxy);
    return { names: [name], connections: [await connectRunningProxy(paths, name)], explicit: true };
  }
  const names = listProxyNames(paths);
  const running = await runningProxies(paths, names);
  return { names, connections: running.map((name) => openProxyConnection(paths, name)), explicit: false };
}

export function closeAll(targets: ProxyTargets): void {
  for (const connection of targets.connections) connection.close();
}

export type ProxyAnswer<T> = { proxy: string; ok: true; value: T } | { proxy: string; ok: false; error: unknown };

/** Asks every connection in parallel; each answer says which proxy it came from. */
export function askEach<T>(targets: ProxyTargets, ask: (client: ControlClient) => Promise<T>): Promise<ProxyAnswer<T>[]> {
  return Promise.all(
    targets.connections.map(async (connection): Promise<ProxyAnswer<T>> => {
      try {
        return { proxy: connection.name, ok: true, value: await connection.call(ask) };
      } catch (error) {
        return { proxy: connection.name, ok: false, error };
      }
    }),
  );
}

/** One line saying why a proxy could not do `what` (e.g. "list pending approvals"). */
export function proxyFailureText(proxy: string, what: string, rpc: string, error: unknown): string {
  if (error instanceof CliError) return error.message;
  if (isUnimplemented(error)) {
    return `Proxy '${proxy}' cannot ${what}: its control socket does not offer ${rpc} (the mcp-acp version it runs lacks it; restart it with this version).`;
  }
  const code = error instanceof RpcError ? ` (${error.codeName})` : "";
  return `Cannot ${what} on proxy '${proxy}': ${errorText(error)}${code}`;
}

/**
 * The successful answers. A failure of the one named proxy is an error (exit 1); failures of
 * some of several proxies are warnings, and `failed` tells the caller to exit 1 after printing.
 */
export function answersOrFail<T>(
  targets: ProxyTargets,
  answers: ProxyAnswer<T>[],
  what: string,
  rpc: string,
): { values: { proxy: string; value: T }[]; failures: { proxy: string; message: string }[] } {
  const values: { proxy: string; value: T }[] = [];
  const failures: { proxy: string; message: string }[] = [];
  for (const answer of answers) {
    if (answer.ok) values.push({ proxy: answer.proxy, value: answer.value });
    else failures.push({ proxy: answer.proxy, message: proxyFailureText(answer.proxy, what, rpc, answer.error) });
  }
  const single = failures[0];
  if (targets.explicit && single !== undefined) throw failure(single.message);
  for (const f of failures) printWarning(f.message);
  return { values, failures };
}
