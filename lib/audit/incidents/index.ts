// lib/audit/incidents: security shutdowns, failed starts and emergency audit records of all
// proxies, read from disk and merged newest first (spec audit.md §12), for `mcp-acp incidents`
// and the manager's IncidentService.

export { INCIDENT_TYPES, parseIncidentType, type IncidentEntry, type IncidentSource, type IncidentType } from "./types.ts";
export { incidentSources, type ProxyIncidentFiles } from "./sources.ts";
export { compareIncidentKeys, decodeIncidentCursor, encodeIncidentCursor, isIncidentCursor, type IncidentKey } from "./order.ts";
export { listIncidents, type IncidentPage, type IncidentQuery } from "./list.ts";
export { incidentSummary, type IncidentSummary, type IncidentSummaryOptions } from "./summary.ts";
export { readIncidentSource, type IncidentVisitor } from "./read-source.ts";
