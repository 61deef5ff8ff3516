// The manager a user runs (`mcp-acp manager run`, `manager start`): the core (link server,
// registry, event hub, idle shutdown) plus the Connect gateway serving the API and dashboard on
// 127.0.0.1:<port> and api.sock.
import { registerApiRoutes } from "../api/index.ts";
import { runManager, type ManagerHandle, type RunManagerOptions } from "../lifecycle/index.ts";
import type { ApiRoutes } from "./api-routes.ts";
import { gatewayExtension } from "./gateway-extension.ts";
import { builtDashboardDir } from "./static-dir.ts";

export interface StartManagerDaemonOptions extends Omit<RunManagerOptions, "extensions"> {
  /** Built dashboard; default <repo>/web/dist when built, else null (a page says how to build it). */
  staticDir?: string | null;
  /** Extra allowed origins for a dashboard dev server (explicit only). */
  devOrigins?: readonly string[];
  /** The API services; default the manager's own (api/index.ts registerApiRoutes). */
  apiRoutes?: ApiRoutes;
}

export interface ManagerDaemon extends ManagerHandle {
  /** http://127.0.0.1:<port> of the dashboard and Connect API. */
  readonly uiUrl: string;
  /** The token-less Connect API socket. */
  readonly apiSocket: string;
}

/**
 * Starts the manager daemon. Throws ManagerError (AlreadyRunning, StartFailed — e.g. the port is
 * in use —, InvalidPort, LockFailed) or ConfigError; nothing is left behind then.
 */
export async function startManagerDaemon(options: StartManagerDaemonOptions): Promise<ManagerDaemon> {
  const { staticDir, devOrigins, apiRoutes, ...managerOptions } = options;
  const extension = gatewayExtension({
    apiRoutes: apiRoutes ?? registerApiRoutes,
    staticDir: staticDir === undefined ? builtDashboardDir() : staticDir,
    ...(devOrigins !== undefined ? { devOrigins } : {}),
  });
  const handle = await runManager({ ...managerOptions, extensions: [extension] });
  // The gateway extension set these before the manager became reachable.
  return { ...handle, uiUrl: handle.core.endpoints.uiUrl, apiSocket: handle.core.endpoints.apiSocket };
}
