// RuntimeService: live counters, control status, policy reload and auth sessions of a running
// proxy, forwarded to its ProxyControl (proxy selection per spec manager.md §12); and GetActivity,
// read from the proxy's audit logs, so it answers for stopped proxies too.
import type { ServiceImpl } from "@connectrpc/connect";
import { readActivity } from "../../../../lib/audit/query/index.ts";
import type {
  GetActivityRequest,
  GetControlStatusRequest,
  GetStatsRequest,
  ListAuthSessionsRequest,
  ReloadPolicyRequest,
  RuntimeService,
} from "../../../../lib/gen/mcpacp/api/v1/runtime_service_pb.ts";
import { selectAttached } from "../common/attached.ts";
import { guarded } from "../common/errors.ts";
import { proxyLogDirOf, requireConfiguredProxy } from "../common/proxy-ref.ts";
import { dateOf } from "../common/time.ts";
import { forward } from "../control/forward.ts";
import type { ManagerApiDeps } from "../deps.ts";
import { withLogQueryErrors } from "../logs/log-service.ts";
import { activityResponse } from "./activity-proto.ts";

export function runtimeServiceImpl(deps: ManagerApiDeps): Partial<ServiceImpl<typeof RuntimeService>> {
  return {
    getStats: guarded("reading proxy stats", async (req: GetStatsRequest) => {
      const proxy = selectAttached(deps, req.proxy);
      const answer = await forward(deps, proxy, "GetStats", (client, options) => client.getStats({}, options));
      return { stats: answer.stats };
    }),
    getControlStatus: guarded("reading the proxy's control status", async (req: GetControlStatusRequest) => {
      const proxy = selectAttached(deps, req.proxy);
      const answer = await forward(deps, proxy, "GetControlStatus", (client, options) => client.getControlStatus({}, options));
      return { status: answer.status };
    }),
    reloadPolicy: guarded("reloading the proxy's policy", async (req: ReloadPolicyRequest) => {
      const proxy = selectAttached(deps, req.proxy);
      const answer = await forward(deps, proxy, "ReloadPolicy", (client, options) => client.reloadPolicy({}, options));
      return { result: answer.result };
    }),
    listAuthSessions: guarded("listing the proxy's auth sessions", async (req: ListAuthSessionsRequest) => {
      const proxy = selectAttached(deps, req.proxy);
      const answer = await forward(deps, proxy, "ListAuthSessions", (client, options) => client.listAuthSessions({}, options));
      return { sessions: answer.sessions };
    }),
    getActivity: guarded(
      "reading the proxy's activity",
      withLogQueryErrors(async (req: GetActivityRequest) => {
        const proxy = requireConfiguredProxy(deps, req.proxy);
        const since = dateOf(req.since);
        const report = await readActivity(proxyLogDirOf(deps, proxy.name), {
          ...(since === undefined ? {} : { since }),
          bucketSeconds: req.bucketSeconds,
          now: deps.now(),
        });
        return activityResponse(report);
      }),
    ),
  };
}
