// ManagerService: whether the manager runs and which proxies are attached.
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import { tryLoadManagerConfig } from "../../../../lib/config/index.ts";
import type { ManagerService, GetStatusResponseSchema } from "../../../../lib/gen/mcpacp/api/v1/manager_service_pb.ts";
import { IdentityMode } from "../../../../lib/gen/mcpacp/common/v1/proxy_pb.ts";
import { apiSocketPath, managerSocketPath } from "../../../../lib/paths/index.ts";
import { timestampOf } from "../common/time.ts";
import type { ManagerApiDeps } from "../deps.ts";

/** manager.json's identity mode; UNSPECIFIED when the file is missing or unreadable. */
export function identityModeOf(deps: ManagerApiDeps): IdentityMode {
  try {
    const config = tryLoadManagerConfig(deps.paths);
    if (config === null) return IdentityMode.UNSPECIFIED;
    return config.auth.mode === "oidc" ? IdentityMode.OIDC : IdentityMode.LOCAL;
  } catch {
    return IdentityMode.UNSPECIFIED;
  }
}

export function getStatus(deps: ManagerApiDeps): MessageInitShape<typeof GetStatusResponseSchema> {
  const attached = [...deps.registry.list()].sort((a, b) => (a.proxyName < b.proxyName ? -1 : a.proxyName > b.proxyName ? 1 : 0));
  return {
    pid: deps.manager.pid,
    version: deps.manager.version,
    startedAt: timestampOf(deps.manager.startedAt),
    uiUrl: deps.manager.uiUrl() ?? "",
    apiSocket: apiSocketPath(deps.paths),
    linkSocket: managerSocketPath(deps.paths),
    identityMode: identityModeOf(deps),
    attachedProxies: attached.map((p) => ({
      proxyName: p.proxyName,
      proxyId: p.proxyId,
      instanceId: p.instanceId,
      pid: p.pid,
      connectedAt: timestampOf(p.connectedAt),
      configSummary: p.configSummary,
    })),
    subscriberCount: deps.events.subscriberCount,
  };
}

export function managerServiceImpl(deps: ManagerApiDeps): Partial<ServiceImpl<typeof ManagerService>> {
  return { getStatus: () => getStatus(deps) };
}
