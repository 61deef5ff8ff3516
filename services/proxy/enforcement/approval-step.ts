// The HITL step of the pipeline (spec policy.md §7.2, design §4): what the approval broker is
// asked about a request whose decision says hitl, and what its answer means for the record and
// for the client. The client learns only the kind of outcome, never the rule or the approver.
import type { DecisionContext, Decision as PolicyDecision } from "../../../lib/policy/index.ts";
import { hitlRecordFields } from "../hitl/record-fields.ts";
import { shouldCacheApproval } from "../hitl/should-cache.ts";
import type { ApprovalOutcome, ApprovalRequestInput } from "../hitl/types.ts";
import type { JSONRPCRequest } from "../relay/jsonrpc.ts";
import type { DenialKind } from "./denial.ts";
import type { DecisionHitl } from "./types.ts";

/** hitl.timeout_seconds when the config gives none. */
export const DEFAULT_HITL_TIMEOUT_SECONDS = 60;

export interface ApprovalAsk {
  request: JSONRPCRequest;
  dctx: DecisionContext;
  decision: PolicyDecision;
  subjectId: string;
  backendId: string;
  timeoutSeconds: number;
}

/** The approval request for a hitl decision: bound to subject, tool, paths, arguments and policy version. */
export function approvalRequestFor(ask: ApprovalAsk): ApprovalRequestInput {
  const { request, dctx, decision } = ask;
  const r = dctx.resource;
  const tool = r.tool;
  const effects = tool?.sideEffects ?? null;
  return {
    subjectId: ask.subjectId,
    backendId: ask.backendId,
    method: request.method,
    toolName: tool?.name ?? null,
    // A tool call is judged by its arguments; any other action by its whole params.
    arguments: tool !== null ? tool.arguments : request.params,
    paths: r.paths,
    sourcePath: r.sourcePath,
    destPath: r.destPath,
    sideEffects: effects === null ? null : [...effects].sort(),
    matchedRuleId: decision.finalRuleId,
    reason: decision.finalRule?.description ?? null,
    policyVersion: decision.policyVersion,
    requestId: String(request.id),
    timeoutSeconds: ask.timeoutSeconds,
    canCache: shouldCacheApproval(effects, decision.finalRule?.cacheSideEffects ?? null),
  };
}

export interface ApprovalVerdict {
  hitl: DecisionHitl;
  /** Set when the request must not be forwarded: what the client is told. */
  denial?: DenialKind;
  /** Appended to the decision's reason in the logs. */
  note: string;
}

function denialOf(outcome: ApprovalOutcome): DenialKind {
  switch (outcome.reason) {
    case "denied":
      return "hitl_denied";
    case "timeout":
      return "hitl_timeout";
    case "cancelled":
      return "hitl_cancelled";
    default:
      // no_approver, queue_full: nobody could be asked.
      return "no_approver";
  }
}

function noteOf(outcome: ApprovalOutcome): string {
  const id = outcome.approvalId === null ? "" : ` (approval ${outcome.approvalId})`;
  const who = outcome.approver === null ? "" : ` by ${outcome.approver.subjectId}`;
  switch (outcome.reason) {
    case "approved":
      return `${outcome.kind === "allow_once" ? "allowed once" : "allowed and cached"}${who}${id}`;
    case "cache_hit":
      return `allowed by a cached approval${who}${id}`;
    case "denied":
      return `denied${who}${id}`;
    case "timeout":
      return `approval timed out${id}`;
    case "cancelled":
      return `approval withdrawn (${outcome.cancelReason ?? "cancelled"})${id}`;
    case "no_approver":
      return outcome.approvalId === null ? "no_approver" : `no_approver: the last approver left${id}`;
    case "queue_full":
      return "no_approver: too many approvals are waiting";
  }
}

/** What an approval outcome means for the decision record and the client. */
export function approvalVerdict(outcome: ApprovalOutcome): ApprovalVerdict {
  const fields = hitlRecordFields(outcome);
  const hitl: DecisionHitl = {
    outcome: fields.hitlOutcome,
    cacheHit: fields.hitlCacheHit,
    approverId: fields.hitlApproverId,
    waitMs: fields.hitlWaitMs,
    approvalId: fields.approvalId,
  };
  const note = noteOf(outcome);
  return fields.forward ? { hitl, note } : { hitl, note, denial: denialOf(outcome) };
}
