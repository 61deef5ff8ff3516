// Public API of the proxy's enforcement pipeline (policy enforcement point): relay hooks that
// rate-limit, classify, guard protected paths, evaluate policy and filter list results.
export {
  createEnforcementHooks,
  type EnforcementHooks,
  FINAL_RULE_CONTEXT_ERROR,
  FINAL_RULE_DOS_LIMIT,
  FINAL_RULE_ENGINE_ERROR,
  LOOP_LIMIT_RULE,
  REASON_NO_APPROVER,
} from "./pipeline.ts";
export type {
  ApprovalGate,
  DecisionEffect,
  DecisionHitl,
  LatencySink,
  DecisionRecord,
  DecisionTarget,
  MatchedRuleSummary,
  EnforcementCounters,
  EnforcementLimits,
  EnforcementOptions,
  Subject,
} from "./types.ts";
export { EnforcementError, EnforcementErrorCode } from "./errors.ts";
export {
  DEFAULT_DOS_BURST,
  DEFAULT_DOS_RATE_PER_SECOND,
  DEFAULT_LOOP_THRESHOLD,
  DEFAULT_LOOP_WINDOW_MS,
  resolveLimits,
  type ResolvedLimits,
} from "./limits.ts";
export { TokenBucket, type TokenBucketOptions } from "./token-bucket.ts";
export { type LoopCheck, type LoopLimiterOptions, ToolLoopLimiter } from "./loop-limiter.ts";
export {
  AUDIT_FAILURE_CODE,
  auditFailureDecision,
  DECISION_AUDIT_FAILURE_MESSAGE,
  DENIAL_META_KEY,
  denialDecision,
  denialMessage,
  type DenialKind,
  GLOBAL_RATE_LIMIT_CODE,
  GLOBAL_RATE_LIMIT_MESSAGE,
  PERMISSION_DENIED_CODE,
} from "./denial.ts";
export { filterListResult, LIST_RESULT_KEYS, type ListFilterEnv, type ListFilterStats } from "./list-filter.ts";
export { createFsRealpath } from "./fs-realpath.ts";
export { DecisionCounters } from "./decision-counters.ts";
export { approvalRequestFor, approvalVerdict, type ApprovalAsk, type ApprovalVerdict, DEFAULT_HITL_TIMEOUT_SECONDS } from "./approval-step.ts";
