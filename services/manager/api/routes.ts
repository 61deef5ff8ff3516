// Registers every implemented mcpacp.api.v1 service on a connect-node router. Methods a service
// leaves out answer UNIMPLEMENTED: ConfigService.SetApiKey and DeleteApiKey (no secret store yet),
// and every AuthService method but GetAuthStatus (no OIDC login yet). EventService
// (event-service.ts, over the hub) is registered by its owner.
import type { ConnectRouter, ServiceImpl } from "@connectrpc/connect";
import { ApprovalService } from "../../../lib/gen/mcpacp/api/v1/approval_service_pb.ts";
import { AuditService } from "../../../lib/gen/mcpacp/api/v1/audit_service_pb.ts";
import { AuthService } from "../../../lib/gen/mcpacp/api/v1/auth_service_pb.ts";
import { ConfigService } from "../../../lib/gen/mcpacp/api/v1/config_service_pb.ts";
import { IncidentService } from "../../../lib/gen/mcpacp/api/v1/incident_service_pb.ts";
import { LogService } from "../../../lib/gen/mcpacp/api/v1/log_service_pb.ts";
import { ManagerService } from "../../../lib/gen/mcpacp/api/v1/manager_service_pb.ts";
import { PolicyService } from "../../../lib/gen/mcpacp/api/v1/policy_service_pb.ts";
import { ProxyService } from "../../../lib/gen/mcpacp/api/v1/proxy_service_pb.ts";
import { RuntimeService } from "../../../lib/gen/mcpacp/api/v1/runtime_service_pb.ts";
import { auditServiceImpl } from "./audit/audit-service.ts";
import { authServiceImpl } from "./auth/auth-service.ts";
import { ApiState } from "./common/api-state.ts";
import { configServiceImpl } from "./config/config-service.ts";
import type { ManagerApiDeps } from "./deps.ts";
import { incidentServiceImpl } from "./incidents/incident-service.ts";
import { logServiceImpl } from "./logs/log-service.ts";
import { managerServiceImpl } from "./manager/manager-service.ts";
import { policyServiceImpl } from "./policy/policy-service.ts";
import { proxyServiceImpl } from "./proxies/proxy-service.ts";
import { approvalServiceImpl } from "./runtime/approval-service.ts";
import { runtimeServiceImpl } from "./runtime/runtime-service.ts";

/** The services registerApiRoutes registers (for reflection lists and tests). */
export const API_SERVICES = [
  ManagerService,
  ProxyService,
  ConfigService,
  PolicyService,
  LogService,
  AuditService,
  IncidentService,
  ApprovalService,
  RuntimeService,
  AuthService,
] as const;

/** Methods other parts of the manager implement on services registered here. */
export interface ApiRouteExtensions {
  /** E.g. IssueLoginCode, which needs the gateway; merged over GetStatus. */
  managerService?: Partial<ServiceImpl<typeof ManagerService>>;
}

export function registerApiRoutes(router: ConnectRouter, deps: ManagerApiDeps, extensions: ApiRouteExtensions = {}): void {
  const state = new ApiState();
  router.service(ManagerService, { ...managerServiceImpl(deps), ...extensions.managerService });
  router.service(ProxyService, proxyServiceImpl(deps, state));
  router.service(ConfigService, configServiceImpl(deps, state.locks));
  router.service(PolicyService, policyServiceImpl(deps, state.locks));
  router.service(LogService, logServiceImpl(deps));
  router.service(AuditService, auditServiceImpl(deps, state));
  router.service(IncidentService, incidentServiceImpl(deps));
  router.service(ApprovalService, approvalServiceImpl(deps));
  router.service(RuntimeService, runtimeServiceImpl(deps));
  router.service(AuthService, authServiceImpl(deps));
}
