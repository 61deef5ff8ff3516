// Columns of the log table per file type (spec §5.2). Records are free-form JSON written by the
// proxy, so every accessor tolerates missing or oddly typed keys.
import type { JsonObject, JsonValue } from "@bufbuild/protobuf";
import type { SingleLogFile } from "./log-selection.ts";

export type CellTone = "allow" | "deny" | "hitl" | "ok" | "fail" | "muted" | "source";

export interface Cell {
  text: string;
  /** Rendered as a badge when set; the text always names the state too (never colour only). */
  tone?: CellTone;
  /** Full value for a tooltip when the text is shortened. */
  title?: string;
}

export interface Column {
  label: string;
  cell: (record: JsonObject, source: SingleLogFile) => Cell;
}

export type ColumnSet = "decisions" | "operations" | "auth" | "system" | "history" | "wire" | "merged";

function str(value: JsonValue | undefined): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

function field(record: JsonObject, ...path: string[]): string {
  let value: JsonValue | undefined = record;
  for (const key of path) {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return "";
    value = (value as JsonObject)[key];
  }
  return str(value);
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

/** HH:MM:SS in local time, or the raw text when unreadable. */
export function clockTime(value: string): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return value;
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** YYYY-MM-DD HH:MM:SS in local time. */
export function dateTime(value: string): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return value;
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${clockTime(value)}`;
}

const timeCol: Column = { label: "Time", cell: (r) => ({ text: clockTime(field(r, "time")), title: field(r, "time") }) };
const dateTimeCol: Column = { label: "Date / time", cell: (r) => ({ text: dateTime(field(r, "time")), title: field(r, "time") }) };

export function decisionCell(decision: string): Cell {
  switch (decision) {
    case "allow":
      return { text: "allow", tone: "allow" };
    case "deny":
      return { text: "deny", tone: "deny" };
    case "hitl":
      return { text: "hitl", tone: "hitl" };
    default:
      return decision === "" ? { text: "–", tone: "muted" } : { text: decision };
  }
}

export function statusCell(status: string): Cell {
  if (status === "Success") return { text: "Success", tone: "ok" };
  if (status === "Failure") return { text: "Failure", tone: "fail" };
  return { text: status === "" ? "–" : status };
}

function hitlResult(r: JsonObject): Cell {
  const outcome = field(r, "hitl_outcome").replace(/_/g, " ");
  if (outcome === "") return { text: "" };
  const cached = r.hitl_cache_hit === true ? " (cached)" : "";
  return { text: outcome + cached };
}

/** The path(s) of an operation: `src → dst` for moves/copies, else the file path. */
export function operationPaths(r: JsonObject): string {
  const src = field(r, "source_path");
  const dst = field(r, "dest_path");
  if (src !== "" || dst !== "") return `${src || "?"} → ${dst || "?"}`;
  return field(r, "file_path") || field(r, "path");
}

function failureOrStatus(r: JsonObject): Cell {
  const status = field(r, "status");
  const message = field(r, "message");
  if (status === "Failure" && message !== "") return { text: `Failure: ${message}`, tone: "fail", title: message };
  return statusCell(status);
}

function subjectOf(r: JsonObject): string {
  return field(r, "subject_id") || field(r, "subject", "subject_id");
}

function wireDirection(r: JsonObject): Cell {
  const direction = field(r, "direction");
  if (direction === "ingress") return { text: ">>>", title: "ingress (into the proxy)" };
  if (direction === "egress") return { text: "<<<", title: "egress (out of the proxy)" };
  return { text: direction };
}

function versionOf(r: JsonObject): string {
  return field(r, "policy_version") || field(r, "config_version");
}

export const COLUMN_SETS: Readonly<Record<ColumnSet, readonly Column[]>> = {
  decisions: [
    timeCol,
    { label: "MCP method", cell: (r) => ({ text: field(r, "mcp_method") }) },
    { label: "Decision", cell: (r) => decisionCell(field(r, "decision")) },
    { label: "Final rule", cell: (r) => ({ text: field(r, "final_rule") }) },
    { label: "HITL result", cell: hitlResult },
  ],
  operations: [
    timeCol,
    { label: "Method", cell: (r) => ({ text: field(r, "method") }) },
    { label: "Tool", cell: (r) => ({ text: field(r, "tool_name") }) },
    { label: "Path(s)", cell: (r) => ({ text: operationPaths(r), title: operationPaths(r) }) },
    { label: "Status", cell: failureOrStatus },
  ],
  auth: [
    timeCol,
    { label: "Bound id", cell: (r) => ({ text: field(r, "bound_session_id") }) },
    { label: "Event", cell: (r) => ({ text: field(r, "event_type") || field(r, "event") }) },
    { label: "Status", cell: (r) => statusCell(field(r, "status")) },
    { label: "Subject", cell: (r) => ({ text: subjectOf(r) }) },
  ],
  system: [
    dateTimeCol,
    { label: "Event", cell: (r) => ({ text: field(r, "event") }) },
    { label: "Level", cell: (r) => ({ text: field(r, "level") }) },
    { label: "Error type", cell: (r) => ({ text: field(r, "error_type") }) },
    { label: "Message", cell: (r) => ({ text: field(r, "message") || field(r, "error_message") }) },
  ],
  history: [
    dateTimeCol,
    { label: "Event", cell: (r) => ({ text: field(r, "event") }) },
    { label: "Version", cell: (r) => ({ text: versionOf(r) }) },
    { label: "Message", cell: (r) => ({ text: field(r, "message") || field(r, "error_message") }) },
  ],
  wire: [
    timeCol,
    { label: "Dir.", cell: wireDirection },
    { label: "Method", cell: (r) => ({ text: field(r, "method") || field(r, "event") }) },
    { label: "Request id", cell: (r) => ({ text: field(r, "request_id") }) },
  ],
  merged: [
    timeCol,
    { label: "Source", cell: (_r, source) => ({ text: source.replace(/_/g, " "), tone: "source" }) },
    { label: "Method / event", cell: (r) => ({ text: field(r, "mcp_method") || field(r, "method") || field(r, "event_type") || field(r, "event") }) },
    {
      label: "Decision / status",
      cell: (r) => {
        const decision = field(r, "decision");
        return decision !== "" ? decisionCell(decision) : statusCell(field(r, "status") || field(r, "level"));
      },
    },
    { label: "Subject", cell: (r) => ({ text: subjectOf(r) }) },
  ],
};

export function columnSetFor(file: SingleLogFile | "all"): ColumnSet {
  switch (file) {
    case "all":
      return "merged";
    case "decisions":
    case "operations":
    case "auth":
    case "system":
      return file;
    case "config_history":
    case "policy_history":
      return "history";
    case "client_wire":
    case "backend_wire":
      return "wire";
  }
}
