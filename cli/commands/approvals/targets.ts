// Which proxies an approvals command talks to: the one named with --proxy (which must be
// configured and running), or every configured proxy that is running right now. When the manager
// runs, the proxies attached to it are reached through it; the others (headless, or all of them
// when there is no manager) over their control sockets. Each running proxy is asked in parallel;
// one proxy's failure does not hide the others' answers.
import { listProxyNames } from "../../../lib/config/index.ts";
import type { AppPaths } from "../../../lib/paths/index.ts";
import { RpcError } from "../../../lib/rpc/index.ts";
import { connectRunningProxy, errorText, isUnimplemented, openProxyConnection, runningProxies } from "../../control-client.ts";
import { CliError, failure } from "../../errors.ts";
import { attachedProxyNames, noteManagerFallback, runningManagerApi } from "../../manager-api.ts";
import { requireProxy } from "../../proxy-lookup.ts";
import { printWarning } from "../../ui/index.ts";
import { controlRoute, ManagerSession, managerRoute, type ProxyRoute } from "./routes.ts";

export const PROXY_FILTER_OPTION = {
  proxy: { type: "string", alias: "p", description: "Only this proxy (default: every running proxy)", valueHint: "name" },
} as const;

export interface ProxyTargets {
  /** Every proxy considered, in name order. */
  names: string[];
  /** Routes to the running ones; close them with closeAll(). */
  routes: ProxyRoute[];
  /** Whether one proxy was named with --proxy. */
  explicit: boolean;
}

/** The manager session and the proxies attached to it; undefined when the control sockets must do. */
async function managerSession(paths: AppPaths): Promise<{ session: ManagerSession; attached: Set<string> } | undefined> {
  const api = await runningManagerApi(paths);
  if (api === undefined) return undefined;
  try {
    return { session: new ManagerSession(api, paths), attached: await attachedProxyNames(api) };
  } catch (error) {
    // Listing proxies only reads, so any failure may fall back; the line says why.
    noteManagerFallback(api, "list the running proxies", error);
    return undefined;
  }
}

/** The named proxy (configured, running: else exit 1) or every running configured proxy. */
export async function reachProxies(paths: AppPaths, proxy: string | undefined): Promise<ProxyTargets> {
  const names = proxy === undefined ? listProxyNames(paths) : [requireProxy(paths, proxy)];
  const manager = await managerSession(paths);
  const viaManager = names.filter((name) => manager?.attached.has(name) === true);
  const others = names.filter((name) => !viaManager.includes(name));
  const routes = new Map<string, ProxyRoute>();
  if (manager !== undefined) for (const name of viaManager) routes.set(name, managerRoute(manager.session, name));
  if (proxy !== undefined) {
    const [name] = others;
    if (name !== undefined) routes.set(name, controlRoute(await connectRunningProxy(paths, name)));
  } else {
    for (const name of await runningProxies(paths, others)) routes.set(name, controlRoute(openProxyConnection(paths, name)));
  }
  return { names, routes: names.flatMap((name) => routes.get(name) ?? []), explicit: proxy !== undefined };
}

export function closeAll(targets: ProxyTargets): void {
  for (const route of targets.routes) route.close();
}

export type ProxyAnswer<T> = { proxy: string; ok: true; value: T } | { proxy: string; ok: false; error: unknown };

/** Asks every route in parallel; each answer says which proxy it came from. */
export function askEach<T>(targets: ProxyTargets, ask: (route: ProxyRoute) => Promise<T>): Promise<ProxyAnswer<T>[]> {
  return Promise.all(
    targets.routes.map(async (route): Promise<ProxyAnswer<T>> => {
      try {
        return { proxy: route.name, ok: true, value: await ask(route) };
      } catch (error) {
        return { proxy: route.name, ok: false, error };
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

/**
 * `{via: "manager"}` for a proxy the manager answered for, else nothing: JSON documents keep the
 * shape they have without a manager.
 */
export function viaField(targets: ProxyTargets, proxy: string): { via?: "manager" } {
  return targets.routes.find((r) => r.name === proxy)?.via === "manager" ? { via: "manager" } : {};
}
