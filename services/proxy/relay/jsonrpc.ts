// JSON-RPC 2.0 shapes the relay needs, on top of the SDK's message types. The checks here are
// structural and cheap on purpose: the relay must not strip or reorder fields it does not know,
// so it never runs the SDK's zod schemas over messages it forwards.
import type {
  JSONRPCErrorResponse,
  JSONRPCMessage,
  JSONRPCNotification,
  JSONRPCRequest,
  JSONRPCResultResponse,
  RequestId,
} from "@modelcontextprotocol/sdk/types.js";

export type {
  JSONRPCErrorResponse,
  JSONRPCMessage,
  JSONRPCNotification,
  JSONRPCRequest,
  JSONRPCResultResponse,
  RequestId,
};

export type JSONRPCResponse = JSONRPCResultResponse | JSONRPCErrorResponse;

export const JsonRpcErrorCode = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,
} as const;

export interface JsonRpcErrorObject {
  code: number;
  message: string;
  data?: unknown;
}

/** JSON-RPC 2.0 answer to input whose id could not be read ("id": null, spec §5). */
export interface NullIdErrorResponse {
  jsonrpc: "2.0";
  id: null;
  error: JsonRpcErrorObject;
}

/** Everything the relay may write to the MCP client. */
export type ClientBoundMessage = JSONRPCMessage | NullIdErrorResponse;

export function isRequest(message: JSONRPCMessage): message is JSONRPCRequest {
  return "method" in message && "id" in message;
}

export function isNotification(message: JSONRPCMessage): message is JSONRPCNotification {
  return "method" in message && !("id" in message);
}

export function isResponse(message: JSONRPCMessage): message is JSONRPCResponse {
  return !("method" in message);
}

export function isRequestId(value: unknown): value is RequestId {
  return typeof value === "string" || (typeof value === "number" && Number.isInteger(value));
}

export function errorResponse(id: RequestId, error: JsonRpcErrorObject): JSONRPCErrorResponse {
  return { jsonrpc: "2.0", id, error };
}

export function nullIdErrorResponse(error: JsonRpcErrorObject): NullIdErrorResponse {
  return { jsonrpc: "2.0", id: null, error };
}

export function resultResponse(id: RequestId, result: Record<string, unknown>): JSONRPCResultResponse {
  return { jsonrpc: "2.0", id, result };
}

/** Renders an id for log lines and messages: strings quoted, numbers bare. */
export function formatRequestId(id: RequestId | null | undefined): string {
  if (id === null || id === undefined) return "(none)";
  return typeof id === "string" ? JSON.stringify(id) : String(id);
}
