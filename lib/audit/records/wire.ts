// debug/client_wire.jsonl and debug/backend_wire.jsonl (spec audit.md §4.6): plain append, DEBUG
// only, never chained. Full payloads only with include_payloads, and secrets masked even then.

import { redactSecrets } from "./redaction.ts";

export type WireDirection = "ingress" | "egress";
export type ErrorCategory = "network" | "timeout" | "auth" | "filesystem" | "serialization" | "backend" | "system" | "unknown";
export type OperationType = "read" | "write" | "delete" | "list" | "other";

export interface ClientWireRecord {
  time: string;
  event: "client_request" | "proxy_response" | "proxy_error";
  source: "client" | "proxy";
  direction: WireDirection;
  transport?: string;
  method?: string;
  request_id?: string;
  session_id?: string;
  payload?: unknown;
  payload_type?: string;
  client_name?: string;
  client_version?: string;
  protocol_version?: string;
  duration_ms?: number;
  error?: string;
  error_type?: string;
  error_traceback?: string;
  error_code?: number;
  error_category?: ErrorCategory;
}

export interface BackendWireRecord {
  time: string;
  event: "proxy_request" | "backend_response" | "backend_error";
  direction: WireDirection;
  method?: string;
  request_id?: string;
  session_id?: string;
  tool_name?: string;
  operation_type?: OperationType;
  file_path?: string;
  file_extension?: string;
  file_name?: string;
  file_size_bytes?: number;
  mime_type_hint?: string;
  arguments?: Record<string, unknown>;
  duration_ms?: number;
  payload_length?: number;
  count?: number;
  tools?: string[];
  resources?: unknown[];
  payload_truncated?: string;
  server_info?: unknown;
  capabilities?: unknown;
  error?: string;
  error_type?: string;
  error_category?: ErrorCategory;
}

export const WIRE_TRUNCATE_CHARS = 1000;
export const WIRE_RESOURCES_LISTED = 10;

/** The first 1000 characters followed by `...` when longer. */
export function truncateForWire(text: string): string {
  return text.length > WIRE_TRUNCATE_CHARS ? `${text.slice(0, WIRE_TRUNCATE_CHARS)}...` : text;
}

/** A payload as the wire logs hold it: absent unless include_payloads, secrets masked. */
export function wirePayload(payload: unknown, includePayloads: boolean): unknown {
  return includePayloads ? redactSecrets(payload) : undefined;
}

/** The kind of operation a tool call performs, from its name, else from its arguments. */
export function operationTypeOf(toolName: string, args: Readonly<Record<string, unknown>> = {}): OperationType {
  const name = toolName.toLowerCase();
  if (/write|create|edit/.test(name)) return "write";
  if (/read|get/.test(name)) return "read";
  if (/delete|remove/.test(name)) return "delete";
  if (/list|search/.test(name)) return "list";
  return "content" in args || "data" in args ? "write" : "other";
}
