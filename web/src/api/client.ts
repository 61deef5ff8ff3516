// One Connect client per API service, same-origin: the manager's HttpOnly cookie authenticates
// every call, so the page never sees the token. JSON keeps requests readable in devtools.
import { type Client, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-web";
import { ApprovalService } from "../../../lib/gen/mcpacp/api/v1/approval_service_pb.ts";
import { AuditService } from "../../../lib/gen/mcpacp/api/v1/audit_service_pb.ts";
import { AuthService } from "../../../lib/gen/mcpacp/api/v1/auth_service_pb.ts";
import { ConfigService } from "../../../lib/gen/mcpacp/api/v1/config_service_pb.ts";
import { EventService } from "../../../lib/gen/mcpacp/api/v1/event_service_pb.ts";
import { IncidentService } from "../../../lib/gen/mcpacp/api/v1/incident_service_pb.ts";
import { LogService } from "../../../lib/gen/mcpacp/api/v1/log_service_pb.ts";
import { ManagerService } from "../../../lib/gen/mcpacp/api/v1/manager_service_pb.ts";
import { PolicyService } from "../../../lib/gen/mcpacp/api/v1/policy_service_pb.ts";
import { ProxyService } from "../../../lib/gen/mcpacp/api/v1/proxy_service_pb.ts";
import { RuntimeService } from "../../../lib/gen/mcpacp/api/v1/runtime_service_pb.ts";

const transport = createConnectTransport({
  baseUrl: typeof window === "undefined" ? "http://127.0.0.1" : window.location.origin,
  useBinaryFormat: false,
  fetch: (input, init) => globalThis.fetch(input, { ...init, credentials: "same-origin" }),
});

export interface Api {
  manager: Client<typeof ManagerService>;
  proxies: Client<typeof ProxyService>;
  config: Client<typeof ConfigService>;
  policy: Client<typeof PolicyService>;
  logs: Client<typeof LogService>;
  audit: Client<typeof AuditService>;
  incidents: Client<typeof IncidentService>;
  approvals: Client<typeof ApprovalService>;
  runtime: Client<typeof RuntimeService>;
  auth: Client<typeof AuthService>;
  events: Client<typeof EventService>;
}

export const api: Api = {
  manager: createClient(ManagerService, transport),
  proxies: createClient(ProxyService, transport),
  config: createClient(ConfigService, transport),
  policy: createClient(PolicyService, transport),
  logs: createClient(LogService, transport),
  audit: createClient(AuditService, transport),
  incidents: createClient(IncidentService, transport),
  approvals: createClient(ApprovalService, transport),
  runtime: createClient(RuntimeService, transport),
  auth: createClient(AuthService, transport),
  events: createClient(EventService, transport),
};
