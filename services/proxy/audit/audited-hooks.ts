// Wraps the enforcement hooks with the audit steps around them: while a security shutdown is in
// progress every request is refused before anything else runs (spec audit.md §4.1); a refusal's
// operation record is written before the client sees it, and so is a response's. When that write
// fails the client gets -32603 instead of the answer (spec §7), and the writer has already started
// the shutdown.
import { AUDIT_FAILURE_CODE } from "../enforcement/denial.ts";
import type { DecisionRecord } from "../enforcement/types.ts";
import type { RelayHooks, RequestContext, RequestDecision } from "../relay/hooks.ts";
import { errorResponse, type JSONRPCRequest, type JSONRPCResponse } from "../relay/jsonrpc.ts";
import type { OperationRecorder } from "./operation-recorder.ts";

export const SHUTTING_DOWN_MESSAGE = "Proxy shutting down due to security failure";
export const OPERATION_AUDIT_FAILURE_MESSAGE = "Audit log failure - operation logged to fallback, proxy shutting down";

export interface AuditGate {
  /** True once a security shutdown has started. */
  readonly shuttingDown: boolean;
  /** The decision recorded for this request (and forgets it); null when none was. */
  takeDecision(request: JSONRPCRequest): DecisionRecord | null;
}

const SHUTTING_DOWN: RequestDecision = Object.freeze({ kind: "error", error: { code: AUDIT_FAILURE_CODE, message: SHUTTING_DOWN_MESSAGE } });
const OPERATION_FAILED: RequestDecision = Object.freeze({ kind: "error", error: { code: AUDIT_FAILURE_CODE, message: OPERATION_AUDIT_FAILURE_MESSAGE } });

export function auditedHooks(inner: RelayHooks, recorder: OperationRecorder, gate: AuditGate): RelayHooks {
  const afterDecision = (request: JSONRPCRequest, ctx: RequestContext, decision: RequestDecision): RequestDecision => {
    const recorded = gate.takeDecision(request);
    // A decision that could not be recorded started the shutdown: its -32603 stands, and nothing
    // more is written.
    if (gate.shuttingDown) return decision.kind === "forward" ? SHUTTING_DOWN : decision;
    if (decision.kind === "forward") {
      recorder.forwarded(request, ctx, recorded);
      return decision;
    }
    try {
      recorder.answered(request, ctx, recorded, decision);
    } catch {
      return OPERATION_FAILED;
    }
    return decision;
  };

  const onClientRequest = (request: JSONRPCRequest, ctx: RequestContext): RequestDecision | Promise<RequestDecision> => {
    if (gate.shuttingDown) return SHUTTING_DOWN;
    recorder.noteRequest(request);
    if (inner.onClientRequest === undefined) return afterDecision(request, ctx, { kind: "forward" });
    let decision: RequestDecision | Promise<RequestDecision>;
    try {
      decision = inner.onClientRequest(request, ctx);
    } catch (error) {
      gate.takeDecision(request);
      throw error;
    }
    if (decision instanceof Promise) {
      return decision.then(
        (d) => afterDecision(request, ctx, d),
        (error: unknown) => {
          gate.takeDecision(request);
          throw error;
        },
      );
    }
    return afterDecision(request, ctx, decision);
  };

  const deliver = (response: JSONRPCResponse, ctx: RequestContext): JSONRPCResponse => {
    if (gate.shuttingDown) return errorResponse(ctx.id, { code: AUDIT_FAILURE_CODE, message: SHUTTING_DOWN_MESSAGE });
    try {
      recorder.responded(ctx.id, response);
    } catch {
      return errorResponse(ctx.id, { code: AUDIT_FAILURE_CODE, message: OPERATION_AUDIT_FAILURE_MESSAGE });
    }
    return response;
  };

  const onBackendResponse = (response: JSONRPCResponse, request: JSONRPCRequest, ctx: RequestContext): JSONRPCResponse | Promise<JSONRPCResponse> => {
    if (inner.onBackendResponse === undefined) return deliver(response, ctx);
    // A throw here reaches the relay, which answers -32603 and reports hook_failed; the recorder
    // completes the record from that event.
    const filtered = inner.onBackendResponse(response, request, ctx);
    return filtered instanceof Promise ? filtered.then((r) => deliver(r, ctx)) : deliver(filtered, ctx);
  };

  const hooks: RelayHooks = { onClientRequest, onBackendResponse };
  if (inner.onClientNotification !== undefined) {
    const onNotification = inner.onClientNotification.bind(inner);
    hooks.onClientNotification = (notification) => onNotification(notification);
  }
  return hooks;
}
