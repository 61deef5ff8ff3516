// The manager's Connect routes: the API services of api/ (registerApiRoutes), the event feed, and
// ManagerService.IssueLoginCode. Registered after the API services: connect-node serves the last
// handler registered for a path, so IssueLoginCode replaces the UNIMPLEMENTED stand-in that
// registering ManagerService's other methods leaves for it.
import type { ConnectRouter, HandlerContext } from "@connectrpc/connect";
import { EventService } from "../../../lib/gen/mcpacp/api/v1/event_service_pb.ts";
import { ManagerService } from "../../../lib/gen/mcpacp/api/v1/manager_service_pb.ts";
import type { ManagerApiDeps } from "../api/index.ts";
import { eventServiceImpl } from "../api/event-service.ts";
import type { ManagerCore } from "../lifecycle/index.ts";
import { issueLoginCode, type LoginCodeSource } from "./login-code-rpc.ts";

/** What api/index.ts exports: registers every API service it implements on the router. */
export type ApiRoutes = (router: ConnectRouter, deps: ManagerApiDeps) => void;

export interface DaemonRoutesSetup {
  core: ManagerCore;
  deps: ManagerApiDeps;
  apiRoutes: ApiRoutes;
  /** The gateway, once it listens (login codes come from it). */
  gateway: () => LoginCodeSource | undefined;
}

export function daemonRoutes(setup: DaemonRoutesSetup): (router: ConnectRouter) => void {
  return (router) => {
    setup.apiRoutes(router, setup.deps);
    router.service(EventService, eventServiceImpl(setup.core.hub));
    router.rpc(ManagerService.method.issueLoginCode, (_request: unknown, context: HandlerContext) => issueLoginCode(setup.gateway, context));
  };
}
