// The eight logs a proxy writes and that can be read (spec audit.md §2, §11): where each lives in
// the proxy's log dir, whether it is chained, and which filters apply to it.

import { PROTECTED_LOG_FILES, WIRE_LOG_FILE_KEYS, type ProtectedLogName } from "../files.ts";
import { invalidArgument } from "./errors.ts";

export type LogType = ProtectedLogName | "client_wire" | "backend_wire";
export type LogFolderName = "audit" | "system" | "debug";
export type FilterName =
  | "session_id"
  | "bound_session_id"
  | "request_id"
  | "policy_version"
  | "config_version"
  | "decision"
  | "hitl_outcome"
  | "event_type"
  | "level";

export interface LogTypeInfo {
  type: LogType;
  /** Path relative to the proxy's log dir, e.g. `audit/decisions.jsonl`. */
  fileKey: string;
  folder: LogFolderName;
  description: string;
  /** One of the six hash-chained files. */
  chained: boolean;
  /** Written only with log_level DEBUG. */
  debugOnly: boolean;
  /** Filters the log supports (spec §11 table); others are refused. */
  filters: readonly FilterName[];
}

const FILTERS: Readonly<Record<LogType, readonly FilterName[]>> = {
  decisions: ["session_id", "bound_session_id", "request_id", "policy_version", "decision", "hitl_outcome"],
  operations: ["session_id", "request_id", "config_version"],
  auth: ["session_id", "bound_session_id", "request_id", "event_type"],
  system: ["session_id", "request_id", "config_version", "level", "event_type"],
  config_history: ["config_version", "event_type"],
  policy_history: ["policy_version", "event_type"],
  client_wire: ["session_id", "request_id", "event_type"],
  backend_wire: ["session_id", "request_id", "event_type"],
};

// The order of the folders listing: audit, then system, then debug (spec §11 metadata).
const CHAINED_ORDER: readonly ProtectedLogName[] = ["decisions", "operations", "auth", "system", "config_history", "policy_history"];

function chainedInfo(name: ProtectedLogName): LogTypeInfo {
  const file = PROTECTED_LOG_FILES.find((f) => f.name === name);
  if (file === undefined) throw new RangeError(`Unknown protected log "${name}"`);
  return {
    type: name,
    fileKey: file.fileKey,
    folder: file.fileKey.startsWith("audit/") ? "audit" : "system",
    description: file.description,
    chained: true,
    debugOnly: false,
    filters: FILTERS[name],
  };
}

export const LOG_TYPES: readonly LogTypeInfo[] = Object.freeze([
  ...CHAINED_ORDER.map(chainedInfo),
  {
    type: "client_wire",
    fileKey: WIRE_LOG_FILE_KEYS.client,
    folder: "debug",
    description: "MCP messages between the client and the proxy (log_level DEBUG only)",
    chained: false,
    debugOnly: true,
    filters: FILTERS.client_wire,
  },
  {
    type: "backend_wire",
    fileKey: WIRE_LOG_FILE_KEYS.backend,
    folder: "debug",
    description: "MCP messages between the proxy and the backend (log_level DEBUG only)",
    chained: false,
    debugOnly: true,
    filters: FILTERS.backend_wire,
  },
] satisfies LogTypeInfo[]);

export const LOG_TYPE_NAMES: readonly LogType[] = LOG_TYPES.map((t) => t.type);

export function logTypeInfo(type: LogType): LogTypeInfo {
  const info = LOG_TYPES.find((t) => t.type === type);
  if (info === undefined) throw new RangeError(`Unknown log type "${String(type)}"`);
  return info;
}

/** A log type from user text; `config-history` and `config_history` are both accepted. */
export function parseLogType(text: string, field = "type"): LogType {
  const normal = text.trim().toLowerCase().replace(/-/g, "_");
  const found = LOG_TYPES.find((t) => t.type === normal);
  if (found === undefined) {
    throw invalidArgument(field, `Unknown log type '${text}': expected one of ${LOG_TYPE_NAMES.join(", ")}.`);
  }
  return found.type;
}

/** Whether the log can exist: the wire logs only with log_level DEBUG. */
export function isLogAvailable(type: LogType, debugEnabled: boolean): boolean {
  return !logTypeInfo(type).debugOnly || debugEnabled;
}
