// One row of the proxy list: config.json facts, the live status of an attached proxy, unread
// incidents and the audit verdict from cheap facts (audit-status.ts).
import type { MessageInitShape } from "@bufbuild/protobuf";
import { incidentSummary } from "../../../../lib/audit/incidents/index.ts";
import { backendTransportOf, type ProxyConfig } from "../../../../lib/config/index.ts";
import type { ProxySummarySchema } from "../../../../lib/gen/mcpacp/api/v1/proxy_service_pb.ts";
import { BackendTransport, ProxyStatus } from "../../../../lib/gen/mcpacp/common/v1/proxy_pb.ts";
import type { ApiState } from "../common/api-state.ts";
import { proxyLogDirOf } from "../common/proxy-ref.ts";
import { timestampOfIso } from "../common/time.ts";
import type { AttachedProxy, ManagerApiDeps } from "../deps.ts";
import { allIncidentSources } from "../incidents/incident-service.ts";
import { listedAuditStatus } from "./audit-status.ts";
import type { LiveState } from "./live-state.ts";

/** This proxy's shutdowns and failed starts after `since` (emergency records are global, not its own). */
async function unreadIncidents(deps: ManagerApiDeps, name: string, since: Date | undefined): Promise<number> {
  const sources = allIncidentSources(deps, name).filter((s) => s.type !== "emergency");
  const counts = await incidentSummary(sources, since === undefined ? {} : { since });
  return counts.shutdowns + counts.bootstrap;
}

export interface SummaryInput {
  name: string;
  config: ProxyConfig;
  attached: AttachedProxy | undefined;
  live: LiveState | undefined;
  incidentsSince: Date | undefined;
}

export async function proxySummary(deps: ManagerApiDeps, state: ApiState, input: SummaryInput): Promise<MessageInitShape<typeof ProxySummarySchema>> {
  const { config, attached, live } = input;
  const stdio = config.backend.stdio;
  const http = config.backend.http;
  return {
    proxyName: input.name,
    proxyId: config.proxy_id,
    status: attached === undefined ? ProxyStatus.INACTIVE : ProxyStatus.RUNNING,
    instanceId: attached?.instanceId ?? "",
    createdAt: timestampOfIso(config.created_at),
    serverName: config.backend.server_name,
    transport: backendTransportOf(config.backend.transport),
    activeTransport: attached?.configSummary?.transport ?? BackendTransport.UNSPECIFIED,
    command: stdio?.command ?? "",
    args: stdio === undefined ? [] : [...stdio.args],
    url: http?.url ?? "",
    mtlsEnabled: config.mtls != null,
    clientId: live?.clientId ?? "",
    stats: live?.stats,
    pendingCount: live?.pending?.length ?? 0,
    unreadIncidents: await unreadIncidents(deps, input.name, input.incidentsSince),
    auditStatus: listedAuditStatus(state.auditStatus.get(input.name), attached, proxyLogDirOf(deps, input.name)),
  };
}
