// audit/operations.jsonl: one record per completed MCP message (spec audit.md §4.1).

import { type ArgumentsSummary, type ResponseSummary, argumentsSummary, responseSummary } from "./payload.ts";
import { UNKNOWN, escapeLineBreaks, logId, round2, withoutNulls } from "./common.ts";

export type OperationStatus = "Success" | "Failure";
export type TransportKind = "stdio" | "streamablehttp";

export interface SubjectInfo {
  subject_id: string;
  subject_claims?: Record<string, string>;
}

export interface OperationRecord {
  session_id: string;
  request_id: string;
  method: string;
  status: OperationStatus;
  error_code?: number;
  message?: string;
  subject: SubjectInfo;
  client_id?: string;
  backend_id: string;
  transport?: TransportKind;
  tool_name?: string;
  file_path?: string;
  file_extension?: string;
  source_path?: string;
  dest_path?: string;
  arguments_summary?: ArgumentsSummary;
  config_version?: string;
  duration: { duration_ms: number };
  response_summary?: ResponseSummary;
}

export interface OperationInput {
  sessionId?: string | null;
  requestId?: string | number | null;
  method?: string | null;
  status: OperationStatus;
  errorCode?: number | null;
  message?: string | null;
  subject: SubjectInfo;
  clientId?: string | null;
  backendId: string;
  transport?: TransportKind | null;
  toolName?: string | null;
  /** Normalised paths (absolute, symlinks resolved) from the tool arguments. */
  filePath?: string | null;
  fileExtension?: string | null;
  sourcePath?: string | null;
  destPath?: string | null;
  /** JSON-RPC params; only their digest is recorded. */
  params?: unknown;
  configVersion?: string | null;
  durationMs: number;
  /** JSON-RPC result; only its digest is recorded, and none on failure. */
  result?: unknown;
}

function path(value: string | null | undefined): string | undefined {
  return value === null || value === undefined ? undefined : escapeLineBreaks(value);
}

/** Builds the record body (the chain adds time, sequence and hashes). */
export function buildOperationRecord(input: OperationInput): OperationRecord {
  const method = input.method === null || input.method === undefined || input.method === "" ? UNKNOWN : input.method;
  // initialize happens before a session exists, so its ids are never meaningful.
  const initialize = method === "initialize";
  return withoutNulls<OperationRecord>({
    session_id: initialize ? UNKNOWN : logId(input.sessionId),
    request_id: initialize ? UNKNOWN : logId(input.requestId),
    method,
    status: input.status,
    error_code: input.errorCode ?? undefined,
    message: input.message ?? undefined,
    subject: withoutNulls(input.subject),
    client_id: input.clientId ?? undefined,
    backend_id: input.backendId,
    transport: input.transport ?? undefined,
    tool_name: input.toolName ?? undefined,
    file_path: path(input.filePath),
    file_extension: path(input.fileExtension),
    source_path: path(input.sourcePath),
    dest_path: path(input.destPath),
    arguments_summary: argumentsSummary(input.params),
    config_version: input.configVersion ?? undefined,
    duration: { duration_ms: round2(input.durationMs) },
    response_summary: input.status === "Success" ? responseSummary(input.result) : undefined,
  });
}

/** Message of a backend transport error as recorded (spec §4.1): reworded and prefixed. */
export function backendTransportMessage(text: string): string {
  return `Proxy→Backend: ${text.replace("Client failed to connect", "Proxy failed to connect")}`;
}
