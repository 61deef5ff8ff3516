// `status` through the running manager: ProxyService says which configured proxies are attached,
// and GetProxy (run-time facts) plus RuntimeService (policy status, request counts) describe each.
// A proxy the manager does not list as running may still run headless, so its control socket is
// probed; a manager call that cannot get through falls back to the control socket as well.
import { ProxyStatus } from "../../lib/gen/mcpacp/common/v1/proxy_pb.ts";
import { controlSocketPath, type AppPaths } from "../../lib/paths/index.ts";
import { connectRunningProxy, errorText, openProxyConnection, probeProxy } from "../control-client.ts";
import { asRpcError, FORWARDED_CALL_TIMEOUT_MS, noteManagerFallback, shouldFallBack, type ManagerApi } from "../manager-api.ts";
import { fillReport, reportOf, statsReport, statsUnavailableText, type ProxyStatusReport } from "./status-report.ts";

/** A manager call failed in a way the control socket may get around. */
class FallBack extends Error {
  constructor(readonly reason: unknown) {
    super(errorText(reason));
  }
}

async function viaManager<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    if (shouldFallBack(error)) throw new FallBack(error);
    throw asRpcError(error);
  }
}

/** One attached proxy as the manager describes it. */
async function managerReport(api: ManagerApi, paths: AppPaths, name: string): Promise<ProxyStatusReport> {
  const report: ProxyStatusReport = { name, running: true, socket: controlSocketPath(paths, name), via: "manager" };
  const options = { timeoutMs: FORWARDED_CALL_TIMEOUT_MS };
  const [detail, status, stats] = await Promise.allSettled([
    viaManager(api.proxies.getProxy({ proxy: name }, options)),
    viaManager(api.runtime.getControlStatus({ proxy: name }, options)),
    viaManager(api.runtime.getStats({ proxy: name }, options)),
  ]);
  for (const settled of [detail, status, stats]) if (settled.status === "rejected" && settled.reason instanceof FallBack) throw settled.reason;
  const info = detail.status === "fulfilled" ? detail.value.info : undefined;
  if (detail.status === "fulfilled" && detail.value.proxy?.status !== ProxyStatus.RUNNING) {
    // It detached between the list and this call: its control socket knows best.
    throw new FallBack(new Error("the proxy is no longer attached"));
  }
  const failed = detail.status === "rejected" ? detail.reason : status.status === "rejected" ? status.reason : undefined;
  if (failed !== undefined || info === undefined) {
    const reason = failed === undefined ? "the manager could not read the proxy's run-time facts (GetInfo)" : errorText(failed);
    report.error = `the proxy's socket answers but its status could not be read: ${reason}`;
  }
  fillReport(report, info, status.status === "fulfilled" ? status.value.status : undefined);
  if (stats.status === "fulfilled") Object.assign(report, statsReport(stats.value.stats));
  else Object.assign(report, { requests: null, requests_unavailable: statsUnavailableText(stats.reason) });
  return report;
}

/** The report of an attached proxy; over the control socket when the manager cannot answer. */
async function attachedReport(api: ManagerApi, paths: AppPaths, name: string): Promise<ProxyStatusReport> {
  try {
    return await managerReport(api, paths, name);
  } catch (error) {
    if (!(error instanceof FallBack)) throw error;
    noteManagerFallback(api, `describe proxy '${name}'`, error.reason);
    return socketReport(paths, name);
  }
}

/** A proxy not attached to the manager: running headless when its control socket answers. */
async function socketReport(paths: AppPaths, name: string): Promise<ProxyStatusReport> {
  if (!(await probeProxy(paths, name))) return { name, running: false, socket: controlSocketPath(paths, name) };
  return reportOf(openProxyConnection(paths, name), paths);
}

/**
 * Every configured proxy in `names`, or undefined when the manager cannot list the proxies (the
 * caller then asks the control sockets, as without a manager).
 */
export async function reportsViaManager(api: ManagerApi, paths: AppPaths, names: readonly string[]): Promise<ProxyStatusReport[] | undefined> {
  let attached: Set<string>;
  try {
    const listed = await api.proxies.listProxies({}, { timeoutMs: FORWARDED_CALL_TIMEOUT_MS });
    attached = new Set(listed.proxies.filter((p) => p.status === ProxyStatus.RUNNING).map((p) => p.proxyName));
  } catch (error) {
    // Listing only reads, so any failure may fall back; the line says why.
    noteManagerFallback(api, "list the proxies", error);
    return undefined;
  }
  return Promise.all(names.map((name) => (attached.has(name) ? attachedReport(api, paths, name) : socketReport(paths, name))));
}

/** One proxy in detail: through the manager when attached, else over its control socket (or "not running"). */
export async function detailViaManager(api: ManagerApi, paths: AppPaths, name: string): Promise<ProxyStatusReport> {
  let attached = false;
  try {
    attached = (await api.proxies.getProxy({ proxy: name }, { timeoutMs: FORWARDED_CALL_TIMEOUT_MS })).proxy?.status === ProxyStatus.RUNNING;
  } catch (error) {
    noteManagerFallback(api, `describe proxy '${name}'`, error);
  }
  if (attached) return attachedReport(api, paths, name);
  return reportOf(await connectRunningProxy(paths, name), paths);
}
