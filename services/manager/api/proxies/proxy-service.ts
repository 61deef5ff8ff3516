// ProxyService: the configured proxies (list, detail, create, delete), the MCP client snippet, and
// the CLI's deletion notice.
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import type {
  CreateProxyRequest,
  DeleteProxyRequest,
  GetConfigSnippetRequest,
  GetProxyRequest,
  GetProxyResponseSchema,
  ListProxiesRequest,
  ListProxiesResponseSchema,
  NotifyProxyDeletedRequest,
  ProxyService,
} from "../../../../lib/gen/mcpacp/api/v1/proxy_service_pb.ts";
import type { ApiState } from "../common/api-state.ts";
import { findAttached } from "../common/attached.ts";
import { guarded, requiredField } from "../common/errors.ts";
import { configuredNames, findConfiguredProxy, loadConfigOf, proxyNotFound, readableConfig, requireConfiguredProxy } from "../common/proxy-ref.ts";
import { dateOf } from "../common/time.ts";
import type { ManagerApiDeps } from "../deps.ts";
import { createProxy } from "./create-proxy.ts";
import { deleteProxy, publishProxyDeleted } from "./delete-proxy.ts";
import { liveState, proxyInfo } from "./live-state.ts";
import { snippetMessage } from "./snippet.ts";
import { proxySummary } from "./summary.ts";

async function listProxies(deps: ManagerApiDeps, state: ApiState, req: ListProxiesRequest): Promise<MessageInitShape<typeof ListProxiesResponseSchema>> {
  const since = dateOf(req.incidentsSince);
  // A proxy whose config.json cannot be read is left out, as in the original (config validate reports it).
  const rows = configuredNames(deps).flatMap((name) => {
    const config = readableConfig(deps, name);
    return config === undefined ? [] : [{ name, config, attached: findAttached(deps, name) }];
  });
  const proxies = await Promise.all(
    rows.map(async (row) => {
      const live = row.attached === undefined ? undefined : await liveState(deps, row.attached, { withCache: false });
      return proxySummary(deps, state, { ...row, live, incidentsSince: since });
    }),
  );
  return { proxies };
}

async function getProxy(deps: ManagerApiDeps, state: ApiState, req: GetProxyRequest): Promise<MessageInitShape<typeof GetProxyResponseSchema>> {
  const proxy = requireConfiguredProxy(deps, req.proxy);
  const config = loadConfigOf(deps, proxy);
  const attached = findAttached(deps, proxy.name);
  const [live, info] =
    attached === undefined ? [undefined, undefined] : await Promise.all([liveState(deps, attached, { withCache: true }), proxyInfo(deps, attached)]);
  const summary = await proxySummary(deps, state, { name: proxy.name, config, attached, live, incidentsSince: undefined });
  if (info !== undefined && summary.clientId === "") summary.clientId = info.clientId;
  return {
    proxy: summary,
    info,
    pending: live?.pending ?? [],
    cached: live?.cached,
    configPath: proxy.configPath,
    policyPath: proxy.policyPath,
  };
}

function getConfigSnippet(deps: ManagerApiDeps, req: GetConfigSnippetRequest) {
  const names =
    req.proxies.length === 0
      ? configuredNames(deps)
      : req.proxies.map((ref) => {
          const found = findConfiguredProxy(deps, ref);
          if (found === undefined) throw proxyNotFound(deps, ref);
          return found.name;
        });
  return { snippet: snippetMessage(names) };
}

function notifyProxyDeleted(deps: ManagerApiDeps, req: NotifyProxyDeletedRequest) {
  if (req.proxyName.trim() === "") throw requiredField("proxy_name", "the name of the deleted proxy");
  publishProxyDeleted(deps, req.proxyName, req.proxyId, req.archiveName);
  return {};
}

export function proxyServiceImpl(deps: ManagerApiDeps, state: ApiState): Partial<ServiceImpl<typeof ProxyService>> {
  return {
    listProxies: guarded("listing proxies", (req: ListProxiesRequest) => listProxies(deps, state, req)),
    getProxy: guarded("reading the proxy", (req: GetProxyRequest) => getProxy(deps, state, req)),
    createProxy: guarded("creating the proxy", (req: CreateProxyRequest) => createProxy(deps, state.locks, req)),
    deleteProxy: guarded("deleting the proxy", (req: DeleteProxyRequest) => deleteProxy(deps, state.locks, req)),
    getConfigSnippet: guarded("building the MCP client snippet", (req: GetConfigSnippetRequest) => getConfigSnippet(deps, req)),
    notifyProxyDeleted: guarded("announcing the deleted proxy", (req: NotifyProxyDeletedRequest) => notifyProxyDeleted(deps, req)),
  };
}
