// audit/decisions.jsonl: one record per policy outcome (spec audit.md §4.2).

import { round2, withoutNulls } from "./common.ts";

export type Decision = "allow" | "deny" | "hitl";
/**
 * The spec's three outcomes plus two of the port: no_approver (nobody could be asked, or the last
 * approver left) and cancelled (the request was withdrawn before anyone decided).
 */
export type HitlOutcome = "user_allowed" | "user_denied" | "timeout" | "no_approver" | "cancelled";
/** Rule ids, or one of the special final rules. */
export type FinalRule = "default" | "discovery_bypass" | "built_in_protected_path" | "rate_limit_breach" | (string & {});

export interface MatchedRule {
  id: string;
  effect: Decision;
  description?: string;
}

export interface DecisionRecord {
  event: "policy_decision";
  decision: Decision;
  hitl_outcome?: HitlOutcome;
  hitl_cache_hit?: boolean;
  hitl_approver_id?: string;
  /** The pending approval behind a hitl outcome (the cached approval's on a cache hit). */
  approval_id?: string;
  matched_rules: MatchedRule[];
  final_rule: FinalRule;
  mcp_method: string;
  tool_name?: string;
  path?: string;
  source_path?: string;
  dest_path?: string;
  uri?: string;
  scheme?: string;
  subject_id?: string;
  backend_id: string;
  side_effects?: string[];
  policy_version: string;
  policy_eval_ms: number;
  policy_hitl_ms?: number;
  policy_total_ms: number;
  request_id: string;
  session_id?: string;
}

export interface DecisionInput {
  decision: Decision;
  /** Allow-once is recorded as user_allowed. */
  hitlOutcome?: HitlOutcome | "user_allowed_once" | null;
  hitlCacheHit?: boolean | null;
  hitlApproverId?: string | null;
  approvalId?: string | null;
  matchedRules: readonly MatchedRule[];
  finalRule: FinalRule;
  mcpMethod: string;
  toolName?: string | null;
  path?: string | null;
  sourcePath?: string | null;
  destPath?: string | null;
  uri?: string | null;
  scheme?: string | null;
  subjectId?: string | null;
  backendId: string;
  sideEffects?: readonly string[] | null;
  policyVersion?: string | null;
  policyEvalMs: number;
  policyHitlMs?: number | null;
  requestId: string;
  sessionId?: string | null;
}

export function buildDecisionRecord(input: DecisionInput): DecisionRecord {
  const evalMs = round2(input.policyEvalMs);
  const hitlMs = round2(input.policyHitlMs ?? 0);
  const outcome = input.hitlOutcome === "user_allowed_once" ? "user_allowed" : (input.hitlOutcome ?? undefined);
  return withoutNulls<DecisionRecord>({
    event: "policy_decision",
    decision: input.decision,
    hitl_outcome: outcome,
    hitl_cache_hit: input.hitlCacheHit ?? undefined,
    hitl_approver_id: input.hitlApproverId ?? undefined,
    approval_id: input.approvalId ?? undefined,
    matched_rules: input.matchedRules.map((r) => withoutNulls({ ...r })),
    final_rule: input.finalRule,
    mcp_method: input.mcpMethod,
    tool_name: input.toolName ?? undefined,
    path: input.path ?? undefined,
    source_path: input.sourcePath ?? undefined,
    dest_path: input.destPath ?? undefined,
    uri: input.uri ?? undefined,
    scheme: input.scheme ?? undefined,
    subject_id: input.subjectId ?? undefined,
    backend_id: input.backendId,
    side_effects: input.sideEffects ? [...input.sideEffects] : undefined,
    policy_version: input.policyVersion ?? "unknown",
    policy_eval_ms: evalMs,
    // Omitted when 0, so cache hits carry none.
    policy_hitl_ms: hitlMs === 0 ? undefined : hitlMs,
    policy_total_ms: round2(evalMs + hitlMs),
    request_id: input.requestId,
    session_id: input.sessionId ?? undefined,
  });
}
