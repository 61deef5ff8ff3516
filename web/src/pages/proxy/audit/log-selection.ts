// What the log viewer shows: folder → file → time range, the filters that make sense for that
// choice, and how the choice survives a reload (validated on read: storage is user-editable).
import type { MessageInitShape } from "@bufbuild/protobuf";
import { Decision } from "../../../../../lib/gen/mcpacp/common/v1/policy_pb.ts";
import {
  HitlOutcome,
  LogRecordLevel,
  type LogFiltersSchema,
  LogType,
  TimeRange,
} from "../../../../../lib/gen/mcpacp/common/v1/log_pb.ts";

export type LogFolderName = "audit" | "system" | "debug";
export type LogFileName =
  | "all"
  | "decisions"
  | "operations"
  | "auth"
  | "system"
  | "config_history"
  | "policy_history"
  | "client_wire"
  | "backend_wire";
export type SingleLogFile = Exclude<LogFileName, "all">;
export type RangeName = "5m" | "1h" | "24h" | "all";

export interface LogSelection {
  folder: LogFolderName;
  file: LogFileName;
  range: RangeName;
}

export const DEFAULT_SELECTION: LogSelection = { folder: "audit", file: "all", range: "all" };
export const SELECTION_STORAGE_KEY = "mcpacp.logs.selection";

export const FOLDERS: readonly { name: LogFolderName; label: string }[] = [
  { name: "audit", label: "Audit" },
  { name: "system", label: "System" },
  { name: "debug", label: "Debug" },
];

export const FILES_BY_FOLDER: Readonly<Record<LogFolderName, readonly { name: LogFileName; label: string }[]>> = {
  audit: [
    { name: "all", label: "All" },
    { name: "decisions", label: "Decisions" },
    { name: "operations", label: "Operations" },
    { name: "auth", label: "Auth" },
  ],
  system: [
    { name: "all", label: "All" },
    { name: "system", label: "System" },
    { name: "config_history", label: "Config history" },
    { name: "policy_history", label: "Policy history" },
  ],
  debug: [
    { name: "all", label: "All" },
    { name: "client_wire", label: "Client wire" },
    { name: "backend_wire", label: "Backend wire" },
  ],
};

export const RANGES: readonly { name: RangeName; label: string; value: TimeRange }[] = [
  { name: "5m", label: "Last 5 min", value: TimeRange.LAST_5_MINUTES },
  { name: "1h", label: "Last hour", value: TimeRange.LAST_HOUR },
  { name: "24h", label: "Last 24 h", value: TimeRange.LAST_24_HOURS },
  { name: "all", label: "All time", value: TimeRange.ALL },
];

const LOG_TYPE_OF: Readonly<Record<SingleLogFile, LogType>> = {
  decisions: LogType.DECISIONS,
  operations: LogType.OPERATIONS,
  auth: LogType.AUTH,
  system: LogType.SYSTEM,
  config_history: LogType.CONFIG_HISTORY,
  policy_history: LogType.POLICY_HISTORY,
  client_wire: LogType.CLIENT_WIRE,
  backend_wire: LogType.BACKEND_WIRE,
};

export function logTypeOf(file: SingleLogFile): LogType {
  return LOG_TYPE_OF[file];
}

export function fileLabel(file: LogFileName): string {
  for (const files of Object.values(FILES_BY_FOLDER)) {
    const found = files.find((f) => f.name === file);
    if (found !== undefined) return found.label;
  }
  return file;
}

export function rangeValue(range: RangeName): TimeRange {
  return RANGES.find((r) => r.name === range)?.value ?? TimeRange.ALL;
}

/** The single files a selection reads: one, or every file of the folder for "All". */
export function filesOf(selection: Pick<LogSelection, "folder" | "file">): SingleLogFile[] {
  if (selection.file !== "all") return [selection.file];
  return FILES_BY_FOLDER[selection.folder].map((f) => f.name).filter((n): n is SingleLogFile => n !== "all");
}

function isFolder(value: unknown): value is LogFolderName {
  return FOLDERS.some((f) => f.name === value);
}

/** A stored selection, or the default for anything that does not fit together. */
export function parseSelection(raw: string | null): LogSelection {
  if (raw === null) return { ...DEFAULT_SELECTION };
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { ...DEFAULT_SELECTION };
  }
  if (typeof value !== "object" || value === null) return { ...DEFAULT_SELECTION };
  const record = value as Record<string, unknown>;
  const folder = isFolder(record.folder) ? record.folder : DEFAULT_SELECTION.folder;
  const fileOk = FILES_BY_FOLDER[folder].some((f) => f.name === record.file);
  const file = fileOk ? (record.file as LogFileName) : "all";
  const rangeOk = RANGES.some((r) => r.name === record.range);
  const range = rangeOk ? (record.range as RangeName) : DEFAULT_SELECTION.range;
  return { folder, file, range };
}

export function serializeSelection(selection: LogSelection): string {
  return JSON.stringify(selection);
}

/** Changing folder resets the file to All (spec §5.2). */
export function withFolder(selection: LogSelection, folder: LogFolderName): LogSelection {
  return { ...selection, folder, file: "all" };
}

// ---- contextual filters ----

export type FilterField = "decision" | "hitlOutcome" | "level" | "sessionId" | "requestId" | "policyVersion" | "configVersion";

export interface FilterValues {
  decision: "" | "allow" | "deny" | "hitl";
  hitlOutcome: "" | "user_allowed" | "user_denied" | "timeout" | "no_approver";
  level: "" | "WARNING" | "ERROR" | "CRITICAL";
  sessionId: string;
  requestId: string;
  policyVersion: string;
  configVersion: string;
}

export const EMPTY_FILTERS: FilterValues = {
  decision: "",
  hitlOutcome: "",
  level: "",
  sessionId: "",
  requestId: "",
  policyVersion: "",
  configVersion: "",
};

// Which filter each file accepts; the server refuses the others (lib/audit/query/log-types.ts).
const SUPPORT: Readonly<Record<SingleLogFile, readonly FilterField[]>> = {
  decisions: ["decision", "hitlOutcome", "sessionId", "requestId", "policyVersion"],
  operations: ["sessionId", "requestId", "configVersion"],
  auth: ["sessionId", "requestId"],
  system: ["level", "sessionId", "requestId", "configVersion"],
  config_history: ["configVersion"],
  policy_history: ["policyVersion"],
  client_wire: ["sessionId", "requestId"],
  backend_wire: ["sessionId", "requestId"],
};

/** Filters shown for a selection: those every selected file accepts; HITL outcome only for Decision = HITL. */
export function applicableFilters(selection: Pick<LogSelection, "folder" | "file">, values: Pick<FilterValues, "decision">): FilterField[] {
  const files = filesOf(selection);
  const order: FilterField[] = ["decision", "hitlOutcome", "level", "sessionId", "requestId", "policyVersion", "configVersion"];
  return order.filter((field) => {
    if (!files.every((f) => SUPPORT[f].includes(field))) return false;
    return field !== "hitlOutcome" || values.decision === "hitl";
  });
}

/** "3" and "v3" both mean v3. */
export function normalizeVersion(text: string): string {
  const trimmed = text.trim();
  return /^\d+$/.test(trimmed) ? `v${trimmed}` : trimmed;
}

const DECISION_OF: Readonly<Record<Exclude<FilterValues["decision"], "">, Decision>> = {
  allow: Decision.ALLOW,
  deny: Decision.DENY,
  hitl: Decision.HITL,
};
const OUTCOME_OF: Readonly<Record<Exclude<FilterValues["hitlOutcome"], "">, HitlOutcome>> = {
  user_allowed: HitlOutcome.USER_ALLOWED,
  user_denied: HitlOutcome.USER_DENIED,
  timeout: HitlOutcome.TIMEOUT,
  no_approver: HitlOutcome.NO_APPROVER,
};
const LEVEL_OF: Readonly<Record<Exclude<FilterValues["level"], "">, LogRecordLevel>> = {
  WARNING: LogRecordLevel.WARNING,
  ERROR: LogRecordLevel.ERROR,
  CRITICAL: LogRecordLevel.CRITICAL,
};

/** The request filters: only applicable, non-empty values, trimmed. */
export function buildFilters(
  selection: Pick<LogSelection, "folder" | "file">,
  values: FilterValues,
): MessageInitShape<typeof LogFiltersSchema> {
  const fields = new Set(applicableFilters(selection, values));
  const out: MessageInitShape<typeof LogFiltersSchema> = {};
  if (fields.has("decision") && values.decision !== "") out.decisions = [DECISION_OF[values.decision]];
  if (fields.has("hitlOutcome") && values.hitlOutcome !== "") out.hitlOutcomes = [OUTCOME_OF[values.hitlOutcome]];
  if (fields.has("level") && values.level !== "") out.levels = [LEVEL_OF[values.level]];
  if (fields.has("sessionId") && values.sessionId.trim() !== "") out.sessionId = values.sessionId.trim();
  if (fields.has("requestId") && values.requestId.trim() !== "") out.requestId = values.requestId.trim();
  if (fields.has("policyVersion") && values.policyVersion.trim() !== "") out.policyVersion = normalizeVersion(values.policyVersion);
  if (fields.has("configVersion") && values.configVersion.trim() !== "") out.configVersion = normalizeVersion(values.configVersion);
  return out;
}
