// Turns one framed line into a JSON-RPC message, or into a problem the relay can answer.
// Validation is structural only (envelope, id type, method type, params shape): anything
// inside params/result passes untouched, whatever protocol revision the two ends speak.
import type { ScannedFields } from "./field-scanner.ts";
import {
  isRequestId,
  JsonRpcErrorCode,
  type JSONRPCMessage,
  type RequestId,
} from "./jsonrpc.ts";

export type InputProblemKind = "parse_error" | "invalid_message" | "batch" | "too_large";

export interface InputProblem {
  kind: InputProblemKind;
  /** -32700 for text that is not JSON, -32600 for everything else. */
  code: number;
  /** Human-readable reason, safe to show to the sender. */
  reason: string;
  /** The request id when it could be read; null otherwise. */
  id: RequestId | null;
  method: string | undefined;
  bytes: number;
  /** Whether JSON-RPC expects an answer: not for notifications or responses. */
  answer: boolean;
  /** The first bytes of the input, for logs (never the whole message). */
  preview: string;
}

export type DecodeResult = { ok: true; message: JSONRPCMessage } | { ok: false; problem: InputProblem };

const PREVIEW_CHARS = 120;

export function previewOf(text: string): string {
  const flat = text.replace(/[\r\n\t]+/g, " ");
  return flat.length > PREVIEW_CHARS ? `${flat.slice(0, PREVIEW_CHARS)}…` : flat;
}

export function decodeLine(text: string, bytes: number): DecodeResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      problem: {
        kind: "parse_error",
        code: JsonRpcErrorCode.ParseError,
        reason: `Parse error: the message is not valid JSON (${detail})`,
        id: null,
        method: undefined,
        bytes,
        answer: true,
        preview: previewOf(text),
      },
    };
  }
  const checked = checkEnvelope(value);
  if (checked.ok) return { ok: true, message: checked.message };
  return { ok: false, problem: { ...checked.problem, bytes, preview: previewOf(text) } };
}

type EnvelopeProblem = Omit<InputProblem, "bytes" | "preview">;

function invalid(reason: string, id: RequestId | null, method: string | undefined, answer: boolean): {
  ok: false;
  problem: EnvelopeProblem;
} {
  return {
    ok: false,
    problem: {
      kind: "invalid_message",
      code: JsonRpcErrorCode.InvalidRequest,
      reason: `Invalid request: ${reason}`,
      id,
      method,
      answer,
    },
  };
}

/** Envelope checks of JSON-RPC 2.0 as MCP uses it (no batches since 2025-06-18). */
export function checkEnvelope(value: unknown): { ok: true; message: JSONRPCMessage } | { ok: false; problem: EnvelopeProblem } {
  if (Array.isArray(value)) {
    return {
      ok: false,
      problem: {
        kind: "batch",
        code: JsonRpcErrorCode.InvalidRequest,
        reason: "Invalid request: JSON-RPC batches are not supported; send one message per line",
        id: null,
        method: undefined,
        answer: true,
      },
    };
  }
  if (typeof value !== "object" || value === null) {
    return invalid("a JSON-RPC message must be a JSON object", null, undefined, true);
  }
  const record = value as Record<string, unknown>;
  const hasId = "id" in record;
  const id = hasId && isRequestId(record.id) ? record.id : null;
  const method = typeof record.method === "string" ? record.method : undefined;
  if (record.jsonrpc !== "2.0") {
    return invalid('"jsonrpc" must be exactly "2.0"', id, method, answerable(record, hasId));
  }
  if ("method" in record) {
    if (method === undefined) return invalid('"method" must be a string', id, undefined, hasId);
    if (hasId && id === null) {
      return invalid('"id" must be a string or an integer', null, method, true);
    }
    if ("params" in record && (typeof record.params !== "object" || record.params === null || Array.isArray(record.params))) {
      return invalid('"params" must be an object', id, method, hasId);
    }
    if ("result" in record || "error" in record) {
      return invalid('a message cannot have both "method" and "result"/"error"', id, method, hasId);
    }
    return { ok: true, message: record as JSONRPCMessage };
  }
  const hasResult = "result" in record;
  const hasError = "error" in record;
  if (hasResult === hasError) {
    return invalid('a message needs "method" (request or notification) or exactly one of "result"/"error" (response)', id, undefined, !hasResult && !hasError);
  }
  if (hasResult) {
    if (id === null) return invalid('a result response needs a string or integer "id"', null, undefined, false);
    if (typeof record.result !== "object" || record.result === null || Array.isArray(record.result)) {
      return invalid('"result" must be an object', id, undefined, false);
    }
    return { ok: true, message: record as JSONRPCMessage };
  }
  const error = record.error;
  if (typeof error !== "object" || error === null || typeof (error as Record<string, unknown>).code !== "number" || typeof (error as Record<string, unknown>).message !== "string") {
    return invalid('"error" must be an object with a numeric "code" and a string "message"', id, undefined, false);
  }
  if (hasId && id === null && record.id !== null) {
    return invalid('"id" must be a string, an integer or null', null, undefined, false);
  }
  return { ok: true, message: record as JSONRPCMessage };
}

/** A message with a method and no id is a notification; JSON-RPC never answers those. */
function answerable(record: Record<string, unknown>, hasId: boolean): boolean {
  if ("result" in record || "error" in record) return false;
  return hasId || !("method" in record);
}

/** The problem for a line that went over the size cap, from what the scanner could read. */
export function oversizedProblem(bytes: number, maxBytes: number, fields: ScannedFields): InputProblem {
  const id = fields.id === undefined ? null : fields.id;
  const isNotification = fields.method !== undefined && fields.id === undefined;
  const isResponse = fields.method === undefined && fields.hasResultOrError;
  return {
    kind: "too_large",
    code: JsonRpcErrorCode.InvalidRequest,
    reason: `Invalid request: the message is ${formatBytes(bytes)}, over the ${formatBytes(maxBytes)} limit of this proxy; it was discarded`,
    id,
    method: fields.method,
    bytes,
    answer: !isNotification && !isResponse,
    preview: `(${fields.root} of ${bytes} bytes)`,
  };
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(bytes % 1024 === 0 ? 0 : 1)} KiB`;
  return `${bytes} bytes`;
}
