// The live state of an attached proxy for the proxy list and detail view: from the manager's cached
// snapshot when the link has delivered one, else asked of the proxy (5 s). Whatever cannot be had
// stays unset: nothing is made up.
import type { CachedApprovals, PendingApproval } from "../../../../lib/gen/mcpacp/common/v1/approval_pb.ts";
import type { ProxyInfo } from "../../../../lib/gen/mcpacp/common/v1/proxy_pb.ts";
import type { ProxyStats } from "../../../../lib/gen/mcpacp/common/v1/stats_pb.ts";
import { tryForward } from "../control/forward.ts";
import type { AttachedProxy, ManagerApiDeps } from "../deps.ts";

/** How long a list or detail view waits for one proxy (spec manager.md §9: stats 5 s). */
export const LIVE_STATE_TIMEOUT_MS = 5000;

export interface LiveState {
  stats: ProxyStats | undefined;
  pending: PendingApproval[] | undefined;
  cached: CachedApprovals | undefined;
  clientId: string;
}

export async function liveState(deps: ManagerApiDeps, proxy: AttachedProxy, options: { withCache: boolean }): Promise<LiveState> {
  const snapshot = proxy.snapshot?.();
  if (snapshot !== undefined) {
    return { stats: snapshot.stats, pending: snapshot.pending, cached: options.withCache ? snapshot.cached : undefined, clientId: snapshot.clientId };
  }
  const ask = <T>(call: Parameters<typeof tryForward<T>>[2]) => tryForward(deps, proxy, call, LIVE_STATE_TIMEOUT_MS);
  const [stats, pending, cached] = await Promise.all([
    ask((client, o) => client.getStats({}, o)),
    ask((client, o) => client.listPending({}, o)),
    options.withCache ? ask((client, o) => client.listCached({}, o)) : Promise.resolve(undefined),
  ]);
  return {
    stats: stats.ok ? stats.value.stats : undefined,
    pending: pending.ok ? pending.value.approvals : undefined,
    cached: cached?.ok === true ? cached.value.cached : undefined,
    clientId: "",
  };
}

export async function proxyInfo(deps: ManagerApiDeps, proxy: AttachedProxy): Promise<ProxyInfo | undefined> {
  const answer = await tryForward(deps, proxy, (client, o) => client.getInfo({}, o), LIVE_STATE_TIMEOUT_MS);
  return answer.ok ? answer.value.info : undefined;
}
