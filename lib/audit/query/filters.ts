// Record filters of the log-reading API (spec audit.md §11): AND-ed; list filters take comma
// lists; each log accepts only its own filters, and a filter that does not apply is refused rather
// than silently matching nothing.

import { invalidArgument } from "./errors.ts";
import { type FilterName, type LogType, logTypeInfo } from "./log-types.ts";

/** What a caller passes: list filters as a comma list or an array. Empty values do not filter. */
export type LogFilterInput = Partial<Record<FilterName, string | readonly string[] | undefined>>;

/** Validated, normalised filters. */
export interface LogFilters {
  session_id?: string;
  bound_session_id?: string;
  request_id?: string;
  policy_version?: string;
  config_version?: string;
  decision?: string[];
  hitl_outcome?: string[];
  event_type?: string[];
  level?: string[];
}

export const FILTER_NAMES: readonly FilterName[] = [
  "session_id",
  "bound_session_id",
  "request_id",
  "policy_version",
  "config_version",
  "decision",
  "hitl_outcome",
  "event_type",
  "level",
];

const LIST_FILTERS = new Set<FilterName>(["decision", "hitl_outcome", "event_type", "level"]);
const DECISIONS = ["allow", "deny", "hitl"];
const HITL_OUTCOMES = ["user_allowed", "user_denied", "timeout", "no_approver"];
const HITL_ALIASES: Readonly<Record<string, string>> = { allowed: "user_allowed", denied: "user_denied" };
const LEVELS = ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"];

function listOf(value: string | readonly string[]): string[] {
  const parts = typeof value === "string" ? value.split(",") : value.flatMap((v) => v.split(","));
  return [...new Set(parts.map((p) => p.trim()).filter((p) => p !== ""))];
}

function checkedList(name: FilterName, values: string[], allowed: readonly string[]): string[] {
  for (const v of values) {
    if (!allowed.includes(v)) throw invalidArgument(name, `Invalid ${name} '${v}': expected one of ${allowed.join(", ")}.`);
  }
  return values;
}

/** `3` → `v3`; other labels as given. */
function versionLabel(value: string): string {
  return /^[0-9]+$/.test(value) ? `v${value}` : value;
}

function isEmpty(value: string | readonly string[]): boolean {
  return typeof value === "string" ? value.trim() === "" : listOf(value).length === 0;
}

/** Validates and normalises filters for a log; throws LogQueryError(InvalidArgument) naming the field. */
export function normalizeLogFilters(input: LogFilterInput, type: LogType): LogFilters {
  const info = logTypeInfo(type);
  const out: LogFilters = {};
  for (const name of FILTER_NAMES) {
    const raw = input[name];
    if (raw === undefined || isEmpty(raw)) continue;
    if (!info.filters.includes(name)) {
      throw invalidArgument(name, `The ${name} filter does not apply to the ${type} log; it takes ${info.filters.join(", ")}.`);
    }
    if (!LIST_FILTERS.has(name)) {
      // Ids are matched exactly, commas included: only the list filters split.
      if (typeof raw !== "string" && raw.length !== 1) throw invalidArgument(name, `The ${name} filter takes one value, not a list.`);
      const value = (typeof raw === "string" ? raw : (raw[0] ?? "")).trim();
      if (name === "policy_version" || name === "config_version") out[name] = versionLabel(value);
      else if (name === "session_id" || name === "bound_session_id" || name === "request_id") out[name] = value;
      continue;
    }
    const values = listOf(raw);
    switch (name) {
      case "decision":
        out.decision = checkedList(name, values.map((v) => v.toLowerCase()), DECISIONS);
        break;
      case "hitl_outcome":
        out.hitl_outcome = [...new Set(checkedList(name, values.map((v) => HITL_ALIASES[v.toLowerCase()] ?? v.toLowerCase()), HITL_OUTCOMES))];
        break;
      case "level":
        out.level = checkedList(name, values.map((v) => v.toUpperCase()), LEVELS);
        break;
      default:
        out.event_type = values;
    }
  }
  return out;
}

function text(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return undefined;
}

function listMatches(list: readonly string[] | undefined, ...candidates: unknown[]): boolean {
  if (list === undefined) return true;
  return candidates.some((c) => {
    const t = text(c);
    return t !== undefined && list.includes(t);
  });
}

function exact(wanted: string | undefined, value: unknown): boolean {
  return wanted === undefined || text(value) === wanted;
}

/** Whether a record passes every filter. */
export function matchesLogFilters(record: Readonly<Record<string, unknown>>, filters: LogFilters): boolean {
  if (filters.session_id !== undefined && text(record.session_id) !== filters.session_id && text(record.mcp_session_id) !== filters.session_id) {
    return false;
  }
  const level = text(record.level)?.toUpperCase();
  return (
    exact(filters.bound_session_id, record.bound_session_id) &&
    exact(filters.request_id, record.request_id) &&
    exact(filters.policy_version, record.policy_version) &&
    exact(filters.config_version, record.config_version) &&
    listMatches(filters.decision, record.decision) &&
    listMatches(filters.hitl_outcome, record.hitl_outcome) &&
    listMatches(filters.event_type, record.event, record.event_type) &&
    listMatches(filters.level, level)
  );
}

/** The filters in effect, for a response's `filters_applied` (lists joined with commas). */
export function describeFilters(filters: LogFilters): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of FILTER_NAMES) {
    const value = filters[name];
    if (value === undefined) continue;
    out[name] = typeof value === "string" ? value : value.join(",");
  }
  return out;
}
