// What a refused client sees (spec §6.3, design §4). The text names only the kind of refusal and
// the method — never a rule, a path or whether the tool exists — so probing the proxy reveals
// nothing a tools/list would not. tools/call gets an isError result (what MCP clients show to
// the model); every other method gets JSON-RPC error -32001.
import type { RequestDecision } from "../relay/hooks.ts";
import type { DecisionEffect } from "./types.ts";

export const PERMISSION_DENIED_CODE = -32001;
export const GLOBAL_RATE_LIMIT_CODE = -32000;
export const GLOBAL_RATE_LIMIT_MESSAGE = "Global rate limit exceeded";

/** Key under `_meta` of a denied tools/call result. */
export const DENIAL_META_KEY = "mcp-acp/denial";

export type DenialKind = "policy_denied" | "no_approver" | "hitl_denied" | "hitl_timeout" | "hitl_cancelled" | "rate_limited" | "internal_error";

// Method names come from the client: keep echoes short.
const MAX_METHOD_CHARS = 100;

export function displayMethod(method: string): string {
  return method.length <= MAX_METHOD_CHARS ? method : `${method.slice(0, MAX_METHOD_CHARS)}…`;
}

export function denialMessage(kind: DenialKind, method: string, detail?: { threshold: number; windowMs: number }): string {
  const m = displayMethod(method);
  switch (kind) {
    case "policy_denied":
      return `Policy denied: ${m}`;
    case "no_approver":
      return `Approval required but no approver is available: ${m}`;
    case "hitl_denied":
      return `Denied by a human approver: ${m}`;
    case "hitl_timeout":
      return `Approval timed out; the request was denied: ${m}`;
    case "hitl_cancelled":
      return `Approval withdrawn before a decision; the request was denied: ${m}`;
    case "rate_limited": {
      const limit = detail === undefined ? "" : ` (${detail.threshold} calls within ${Math.round(detail.windowMs / 1000)} s)`;
      return `Rate limit exceeded: too many calls to the same tool${limit}; wait before calling it again`;
    }
    case "internal_error":
      return `Internal error evaluating policy for ${m}`;
  }
}

export function denialDecision(method: string, kind: DenialKind, decision: DecisionEffect, message: string): RequestDecision {
  const data = { decision, kind };
  if (method === "tools/call") {
    return {
      kind: "result",
      result: { content: [{ type: "text", text: message }], isError: true, _meta: { [DENIAL_META_KEY]: data } },
    };
  }
  return { kind: "error", error: { code: PERMISSION_DENIED_CODE, message, data } };
}

/** JSON-RPC code and text when a decision could not be written to the audit log (spec audit.md §7). */
export const AUDIT_FAILURE_CODE = -32603;
export const DECISION_AUDIT_FAILURE_MESSAGE = "Decision audit log failure - logged to fallback, proxy shutting down";

/** The answer to a request whose decision could not be recorded: it is never forwarded. */
export function auditFailureDecision(): RequestDecision {
  return { kind: "error", error: { code: AUDIT_FAILURE_CODE, message: DECISION_AUDIT_FAILURE_MESSAGE } };
}

export function globalRateLimitDecision(): RequestDecision {
  return { kind: "error", error: { code: GLOBAL_RATE_LIMIT_CODE, message: GLOBAL_RATE_LIMIT_MESSAGE } };
}
