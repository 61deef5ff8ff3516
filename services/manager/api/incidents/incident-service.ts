// IncidentService: security shutdowns, failed starts and emergency audit records of every
// configured proxy, read from disk and merged newest first (spec audit.md §12).
import type { JsonObject, MessageInitShape } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import {
  incidentSources,
  incidentSummary,
  listIncidents,
  type IncidentEntry,
  type IncidentSource,
  type IncidentType as IncidentTypeName,
} from "../../../../lib/audit/incidents/index.ts";
import { DEFAULT_INCIDENT_LIMIT } from "../../../../lib/audit/query/index.ts";
import type {
  GetIncidentSummaryRequest,
  GetIncidentSummaryResponseSchema,
  IncidentService,
  ListIncidentsRequest,
  ListIncidentsResponseSchema,
} from "../../../../lib/gen/mcpacp/api/v1/incident_service_pb.ts";
import { IncidentType, type IncidentSchema } from "../../../../lib/gen/mcpacp/common/v1/incident_pb.ts";
import { Severity } from "../../../../lib/gen/mcpacp/common/v1/severity_pb.ts";
import { emergencyAuditPath, proxyBootstrapLogPath, proxyLogDir } from "../../../../lib/paths/index.ts";
import { loadManagerConfig } from "../../../../lib/config/index.ts";
import { guarded } from "../common/errors.ts";
import { configuredNames, proxyIdOf, requireConfiguredProxy } from "../common/proxy-ref.ts";
import { dateOf, timestampOfIso, timestampOfMs } from "../common/time.ts";
import type { ManagerApiDeps } from "../deps.ts";
import { withLogQueryErrors } from "../logs/log-service.ts";
import { timeRangeName } from "../logs/log-proto.ts";

const TYPES: ReadonlyArray<[IncidentType, IncidentTypeName]> = [
  [IncidentType.SHUTDOWN, "shutdown"],
  [IncidentType.BOOTSTRAP, "bootstrap"],
  [IncidentType.EMERGENCY, "emergency"],
];

const typeValue = (name: IncidentTypeName): IncidentType => TYPES.find(([, n]) => n === name)?.[0] ?? IncidentType.UNSPECIFIED;
const typeName = (value: IncidentType): IncidentTypeName | undefined => TYPES.find(([v]) => v === value)?.[1];

/** Every incident file: per configured proxy its shutdowns and bootstrap logs, then the emergency log. */
export function allIncidentSources(deps: ManagerApiDeps, only?: string): IncidentSource[] {
  const logDir = loadManagerConfig(deps.paths).log_dir;
  const names = only === undefined ? configuredNames(deps) : [only];
  const proxies = names.map((name) => {
    const id = proxyIdOf(deps, name);
    return { name, ...(id === undefined ? {} : { id }), logDir: proxyLogDir(logDir, name), bootstrapPath: proxyBootstrapLogPath(deps.paths, name) };
  });
  return incidentSources(proxies, emergencyAuditPath(deps.paths));
}

/** Shutdowns and emergency records end a proxy or lose audit data; a failed start is an error. */
function severityOf(type: IncidentTypeName): Severity {
  return type === "bootstrap" ? Severity.ERROR : Severity.CRITICAL;
}

export function incidentMessage(entry: IncidentEntry): MessageInitShape<typeof IncidentSchema> {
  return {
    id: entry.id,
    type: typeValue(entry.type),
    time: timestampOfMs(entry.timeMs) ?? timestampOfIso(entry.time),
    proxyName: entry.proxyName ?? "",
    proxyId: entry.proxyId ?? "",
    severity: severityOf(entry.type),
    event: entry.event ?? "",
    failureType: entry.failureType ?? "",
    reason: entry.reason ?? "",
    ...(entry.exitCode === null ? {} : { exitCode: entry.exitCode }),
    record: entry.record as JsonObject,
  };
}

async function listAll(deps: ManagerApiDeps, req: ListIncidentsRequest): Promise<MessageInitShape<typeof ListIncidentsResponseSchema>> {
  const proxy = req.proxy === "" ? undefined : requireConfiguredProxy(deps, req.proxy).name;
  const type = typeName(req.type);
  const page = await listIncidents(allIncidentSources(deps), {
    ...(proxy === undefined ? {} : { proxy }),
    ...(type === undefined ? {} : { types: [type] }),
    timeRange: timeRangeName(req.timeRange, "all"),
    limit: req.limit === 0 ? DEFAULT_INCIDENT_LIMIT : req.limit,
    ...(req.cursor === "" ? {} : { cursor: req.cursor }),
    now: deps.now(),
  });
  return { incidents: page.entries.map(incidentMessage), nextCursor: page.hasMore ? (page.nextCursor ?? "") : "", hasMore: page.hasMore };
}

async function summary(deps: ManagerApiDeps, req: GetIncidentSummaryRequest): Promise<MessageInitShape<typeof GetIncidentSummaryResponseSchema>> {
  const proxy = req.proxy === "" ? undefined : requireConfiguredProxy(deps, req.proxy).name;
  const since = dateOf(req.since);
  const counts = await incidentSummary(allIncidentSources(deps), {
    ...(since === undefined ? {} : { since }),
    ...(proxy === undefined ? {} : { proxy }),
  });
  return {
    summary: {
      shutdownsCount: counts.shutdowns,
      bootstrapCount: counts.bootstrap,
      emergencyCount: counts.emergency,
      latestCriticalAt: timestampOfIso(counts.latestCriticalAt),
      emergencyPath: counts.emergencyPath ?? "",
    },
  };
}

export function incidentServiceImpl(deps: ManagerApiDeps): Partial<ServiceImpl<typeof IncidentService>> {
  return {
    listIncidents: guarded("listing incidents", withLogQueryErrors((req: ListIncidentsRequest) => listAll(deps, req))),
    getIncidentSummary: guarded("counting incidents", withLogQueryErrors((req: GetIncidentSummaryRequest) => summary(deps, req))),
  };
}
