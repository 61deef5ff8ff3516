// The Connect gateway as a manager extension: started with the manager (before manager.sock is
// bound, so a port in use fails the start with nothing left behind) and closed with it.
import { apiSocketPath } from "../../../lib/paths/index.ts";
import { ManagerError, ManagerErrorCode } from "../../../lib/manager-client/index.ts";
import { ControlClientPool } from "../api/index.ts";
import { GatewayError, GatewayErrorCode, startGateway, type GatewayHandle } from "../gateway/index.ts";
import type { ManagerCore, ManagerExtension, ManagerExtensionHandle } from "../lifecycle/index.ts";
import { createApiDeps } from "./api-deps.ts";
import { daemonRoutes, type ApiRoutes } from "./api-routes.ts";

export interface GatewayExtensionOptions {
  /** The API services (api/index.ts registerApiRoutes). */
  apiRoutes: ApiRoutes;
  /** Built dashboard files, or null for the "not built" page. */
  staticDir: string | null;
  /** Extra allowed origins (a dashboard dev server); only when asked for explicitly. */
  devOrigins?: readonly string[];
}

function portError(core: ManagerCore, error: GatewayError): ManagerError {
  return new ManagerError(ManagerErrorCode.StartFailed, `Port ${core.uiPort} is in use on 127.0.0.1; the dashboard cannot listen there.`, {
    hint: `Use --port to choose another (e.g. 'mcp-acp manager start --port ${core.uiPort + 1}'), or set ui_port in manager.json.`,
    cause: error,
  });
}

export function gatewayExtension(options: GatewayExtensionOptions): ManagerExtension {
  return {
    name: "dashboard and API gateway",
    async start(core: ManagerCore): Promise<ManagerExtensionHandle> {
      const controlClients = new ControlClientPool();
      const deps = createApiDeps(core, controlClients);
      let gateway: GatewayHandle | undefined;
      try {
        gateway = await startGateway({
          routes: daemonRoutes({ core, deps, apiRoutes: options.apiRoutes, gateway: () => gateway }),
          port: core.uiPort,
          apiSocketPath: apiSocketPath(core.paths),
          staticDir: options.staticDir,
          onActivity: () => core.activity(),
          ...(options.devOrigins !== undefined ? { devOrigins: options.devOrigins } : {}),
        });
      } catch (error) {
        controlClients.close();
        if (error instanceof GatewayError && error.code === GatewayErrorCode.PortInUse) throw portError(core, error);
        throw error;
      }
      const started = gateway;
      core.setEndpoints({ uiUrl: started.url, apiSocket: started.apiSocketPath });
      core.log.info("gateway_listening", `Dashboard and API on ${started.url} and ${started.apiSocketPath}`, {
        ui_url: started.url,
        api_socket: started.apiSocketPath,
      });
      return {
        close: async () => {
          try {
            await started.close();
          } finally {
            controlClients.close();
          }
        },
      };
    },
  };
}
