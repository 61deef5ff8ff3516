// services/manager/api: the manager's Connect API (mcpacp.api.v1) as connect-es handlers, with
// their dependencies injected through ManagerApiDeps.
export { registerApiRoutes, API_SERVICES, type ApiRouteExtensions } from "./routes.ts";
export type { ManagerApiDeps, AttachedProxy, ApproverIdentity, ManagerFacts, ProxyControlClient, EventInit } from "./deps.ts";
export { ControlClientPool } from "./control/client-pool.ts";
export { CONTROL_TIMEOUT_MS } from "./control/forward.ts";
export { WRITER_LOCK_FILE } from "../../../lib/audit/index.ts";
