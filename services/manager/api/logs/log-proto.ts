// Log queries between the API (proto enums, cursors) and lib/audit/query (file words).
import type { MessageInitShape } from "@bufbuild/protobuf";
import { HitlOutcome, LogRecordLevel, LogType, type LogFilters, TimeRange, type LogMetadataSchema } from "../../../../lib/gen/mcpacp/common/v1/log_pb.ts";
import { Decision } from "../../../../lib/gen/mcpacp/common/v1/policy_pb.ts";
import type { LogFilterInput, LogMetadata, LogBackup, LogType as LogTypeName, TimeRange as TimeRangeName } from "../../../../lib/audit/query/index.ts";
import { timestampOfIso } from "../common/time.ts";

const LOG_TYPES: ReadonlyArray<[LogType, LogTypeName]> = [
  [LogType.DECISIONS, "decisions"],
  [LogType.OPERATIONS, "operations"],
  [LogType.AUTH, "auth"],
  [LogType.SYSTEM, "system"],
  [LogType.CONFIG_HISTORY, "config_history"],
  [LogType.POLICY_HISTORY, "policy_history"],
  [LogType.CLIENT_WIRE, "client_wire"],
  [LogType.BACKEND_WIRE, "backend_wire"],
];

export function logTypeName(type: LogType): LogTypeName | undefined {
  return LOG_TYPES.find(([value]) => value === type)?.[1];
}

export function logTypeValue(name: LogTypeName): LogType {
  return LOG_TYPES.find(([, n]) => n === name)?.[0] ?? LogType.UNSPECIFIED;
}

/** UNSPECIFIED gives `fallback` (5m for logs, all for incidents). */
export function timeRangeName(range: TimeRange, fallback: TimeRangeName): TimeRangeName {
  switch (range) {
    case TimeRange.LAST_5_MINUTES:
      return "5m";
    case TimeRange.LAST_HOUR:
      return "1h";
    case TimeRange.LAST_24_HOURS:
      return "24h";
    case TimeRange.ALL:
      return "all";
    default:
      return fallback;
  }
}

const DECISION_WORDS: Readonly<Record<number, string>> = { [Decision.ALLOW]: "allow", [Decision.DENY]: "deny", [Decision.HITL]: "hitl" };
const OUTCOME_WORDS: Readonly<Record<number, string>> = {
  [HitlOutcome.USER_ALLOWED]: "user_allowed",
  [HitlOutcome.USER_DENIED]: "user_denied",
  [HitlOutcome.TIMEOUT]: "timeout",
  [HitlOutcome.NO_APPROVER]: "no_approver",
};

/** Where a lib filter name sits in the request. */
export const FILTER_FIELDS: Readonly<Record<string, string>> = {
  session_id: "filters.session_id",
  bound_session_id: "filters.bound_session_id",
  request_id: "filters.request_id",
  policy_version: "filters.policy_version",
  config_version: "filters.config_version",
  decision: "filters.decisions",
  hitl_outcome: "filters.hitl_outcomes",
  event_type: "filters.event_types",
  level: "filters.levels",
};

function words(values: readonly number[], table: Readonly<Record<number, string>>, unknown: string): string[] {
  // An UNSPECIFIED value is passed on as a word the filter rejects by name.
  return values.map((v) => table[v] ?? unknown);
}

export function filterInput(filters: LogFilters | undefined): LogFilterInput {
  if (filters === undefined) return {};
  return {
    session_id: filters.sessionId,
    bound_session_id: filters.boundSessionId,
    request_id: filters.requestId,
    policy_version: filters.policyVersion,
    config_version: filters.configVersion,
    decision: words(filters.decisions, DECISION_WORDS, "unspecified"),
    hitl_outcome: words(filters.hitlOutcomes, OUTCOME_WORDS, "unspecified"),
    event_type: filters.eventTypes,
    level: filters.levels.map((l) => (l === LogRecordLevel.UNSPECIFIED ? "unspecified" : (LogRecordLevel[l] ?? "unspecified"))),
  };
}

function backupMessage(backup: LogBackup) {
  return { filename: backup.filename, path: backup.path, sizeBytes: BigInt(backup.sizeBytes), createdAt: timestampOfIso(backup.createdAt) };
}

export function logMetadataMessage(metadata: LogMetadata): MessageInitShape<typeof LogMetadataSchema> {
  return {
    folders: metadata.folders.map((folder) => ({
      name: folder.name,
      files: folder.files.map((file) => ({
        logType: logTypeValue(file.type),
        fileKey: file.fileKey,
        path: file.path,
        exists: file.exists,
        sizeBytes: BigInt(file.sizeBytes ?? 0),
        backups: file.backups.map(backupMessage),
      })),
    })),
    debugEnabled: metadata.debugEnabled,
    availablePolicyVersions: metadata.availablePolicyVersions,
    availableConfigVersions: metadata.availableConfigVersions,
  };
}

export { backupMessage };
