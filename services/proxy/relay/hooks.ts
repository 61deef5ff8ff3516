// The interception seam the enforcement pipeline plugs into. The relay knows nothing about
// policy: it asks these hooks what to do with each client request and each paired response.
import type {
  JsonRpcErrorObject,
  JSONRPCNotification,
  JSONRPCRequest,
  JSONRPCResponse,
  RequestId,
} from "./jsonrpc.ts";

/** Per-request facts shared by both hooks. The same object is passed to the request hook and
 * to the response hook of that request, so a pipeline can key its own state on it (WeakMap). */
export interface RequestContext {
  readonly id: RequestId;
  readonly method: string;
  /** performance.now() when the request was read from the client. */
  readonly receivedAt: number;
  /** Aborted when the client cancels the request, the backend dies or the relay stops: a
   * pending approval (HITL) should stop waiting then. */
  readonly signal: AbortSignal;
}

export type RequestDecision =
  /** Send to the backend: the request as received, or a rewritten one (its id is kept). */
  | { readonly kind: "forward"; readonly request?: JSONRPCRequest }
  /** Answer the client with this result; the backend never sees the request. */
  | { readonly kind: "result"; readonly result: Record<string, unknown> }
  /** Answer the client with this JSON-RPC error; the backend never sees the request. */
  | { readonly kind: "error"; readonly error: JsonRpcErrorObject };

export type NotificationDecision = "forward" | "drop";

export interface RelayHooks {
  /** Every client→backend request. A throw or rejection answers -32603 and forwards nothing. */
  onClientRequest?(request: JSONRPCRequest, ctx: RequestContext): RequestDecision | Promise<RequestDecision>;
  /** The backend's answer to a forwarded request, before the client sees it (e.g. filter
   * tools/list). Return the response to deliver; a throw answers -32603 instead. */
  onBackendResponse?(
    response: JSONRPCResponse,
    request: JSONRPCRequest,
    ctx: RequestContext,
  ): JSONRPCResponse | Promise<JSONRPCResponse>;
  /** Client→backend notifications (never answered: "drop" only logs). Synchronous on purpose,
   * so notifications keep their order relative to each other. */
  onClientNotification?(notification: JSONRPCNotification): NotificationDecision;
}

export const FORWARD: RequestDecision = Object.freeze({ kind: "forward" });
