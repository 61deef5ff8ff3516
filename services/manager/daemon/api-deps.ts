// Adapts the running manager (registry, hub, paths, this run's facts) to what the API handlers
// take (api/deps.ts), so the handlers never see the link server or the registry's internals.
import type { AttachedProxy, ControlClientPool, ManagerApiDeps } from "../api/index.ts";
import type { ManagerCore } from "../lifecycle/index.ts";
import type { RegistryEntry } from "../registry/index.ts";
import { osAccountName } from "./os-account.ts";

function attachedView(entry: RegistryEntry): AttachedProxy {
  return {
    proxyName: entry.proxyName,
    proxyId: entry.proxyId,
    instanceId: entry.instanceId,
    pid: entry.pid,
    controlSocket: entry.controlSocket,
    connectedAt: entry.connectedAt,
    configSummary: entry.configSummary,
    snapshot: () => (entry.state.hasSnapshot ? entry.state.view() : undefined),
  };
}

export function createApiDeps(core: ManagerCore, controlClients: ControlClientPool): ManagerApiDeps {
  return {
    paths: core.paths,
    registry: { list: () => core.registry.list().map(attachedView) },
    proxyControl: (proxy) => controlClients.get(proxy.controlSocket),
    events: {
      publish: (event) => core.hub.publish(event),
      get subscriberCount() {
        return core.hub.subscriberCount;
      },
    },
    manager: {
      pid: process.pid,
      version: core.version,
      startedAt: core.startedAt,
      uiUrl: () => (core.endpoints.uiUrl === "" ? undefined : core.endpoints.uiUrl),
    },
    // Local identity: whoever can reach the API as this user approves as this OS account. With
    // OIDC the dashboard needs its own login, which does not exist yet: no approver (fail closed).
    approver: () => {
      if (core.config.auth.mode !== "local") return null;
      const name = osAccountName();
      return { subjectId: name, displayName: name };
    },
    now: () => new Date(),
  };
}
