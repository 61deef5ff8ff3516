// services/manager/daemon: the manager daemon as users run it — the core plus the Connect
// gateway (API services, event feed, login codes, dashboard files).
export { createApiDeps } from "./api-deps.ts";
export { daemonRoutes, type ApiRoutes, type DaemonRoutesSetup } from "./api-routes.ts";
export { gatewayExtension, type GatewayExtensionOptions } from "./gateway-extension.ts";
export { issueLoginCode, reachedOverTcp, type LoginCodeSource } from "./login-code-rpc.ts";
export { BUILT_DASHBOARD_DIR, builtDashboardDir } from "./static-dir.ts";
export { startManagerDaemon, type ManagerDaemon, type StartManagerDaemonOptions } from "./start-manager-daemon.ts";
