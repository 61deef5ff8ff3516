// Shapes shared by the enforcement pipeline and whoever assembles it (the start command, audit,
// stats). Field names follow the proxy contract.
import type { CompiledPolicy } from "../../../lib/policy/index.ts";
import type { HitlRecordOutcome } from "../hitl/record-fields.ts";
import type { ApprovalOutcome, ApprovalRequestInput } from "../hitl/types.ts";
import type { JSONRPCRequest } from "../relay/jsonrpc.ts";
import type { LatencyMetric } from "../stats/latency-store.ts";
import type { ProxyLogger } from "../relay/log.ts";

export interface Subject {
  id: string;
  provenance: "local" | "oidc";
}

export interface EnforcementLimits {
  /** Global DoS bucket refill, requests per second (default 10). */
  dosRatePerSecond?: number;
  /** Global DoS bucket capacity (default 50). */
  dosBurst?: number;
  /** Forwarded calls of one tool allowed per window before it is refused (default 30). */
  loopThreshold?: number;
  /** Sliding window of the per-tool loop limiter, ms (default 60 000). */
  loopWindowMs?: number;
}

export interface EnforcementOptions {
  /** A PolicyHolder satisfies this; read once per request. */
  policy: { readonly snapshot: CompiledPolicy };
  /** Local identity: os.userInfo().username. */
  subject: Subject;
  proxyName: string;
  /** backend.server_name */
  backendId: string;
  /** Config dir and log root, realpath'ed by the caller; absolute. */
  protectedDirs: string[];
  logger: ProxyLogger;
  /** Stats and other observers plug in here; a throw is logged and ignored. */
  onDecision?: (d: DecisionRecord) => void;
  /**
   * The audit write of design §4 step 5, part of the decision path: called with every decision
   * before the request is forwarded or answered, it returns once the record is durable. A throw
   * refuses the request with -32603 (the audit writer has started the fail-closed shutdown).
   */
  recordDecision?: (d: DecisionRecord, request: JSONRPCRequest) => void;
  limits?: EnforcementLimits;
  /**
   * Who is asked when a decision says hitl (an ApprovalBroker). Without it a hitl decision is
   * refused at once as no_approver.
   */
  approvals?: ApprovalGate;
  /** hitl.timeout_seconds of the proxy config (default 60). */
  hitlTimeoutSeconds?: number;
  /** Where proxy_total, policy_eval and hitl_wait samples go (a LatencyStore). */
  latency?: LatencySink;
  /** Millisecond clock of the rate limiters (default performance.now(), monotonic). */
  now?: () => number;
  /** Session key of the loop limiter (default: a random id per pipeline, i.e. per stdio session). */
  sessionId?: string;
  /** Base of relative paths in requests (default process.cwd() at creation). */
  cwd?: string;
  /** Expansion of `~` in request paths (default os.homedir()). */
  homeDir?: string;
}

export type DecisionEffect = "allow" | "deny" | "hitl";

/** The approval broker as the pipeline sees it. */
export interface ApprovalGate {
  request(input: ApprovalRequestInput, signal?: AbortSignal): Promise<ApprovalOutcome>;
}

/** The latency windows as the pipeline sees them. */
export interface LatencySink {
  record(metric: LatencyMetric, ms: number): void;
}

/** How a human (or the approval cache) answered a hitl decision, for the decision record. */
export interface DecisionHitl {
  outcome: HitlRecordOutcome;
  cacheHit: boolean;
  /** Who decided (or allowed the cached approval); null when nobody did. */
  approverId: string | null;
  /** Time waiting for a human, ms (0 for a cache hit or an immediate refusal). */
  waitMs: number;
  /** The pending approval's id (the cached approval's on a hit); null when none was created. */
  approvalId: string | null;
}

/** A matching rule as the decision log names it. */
export interface MatchedRuleSummary {
  id: string;
  effect: DecisionEffect;
  description?: string;
}

/** What the request touches, normalised, as the decision and operation logs record it. */
export interface DecisionTarget {
  path?: string;
  extension?: string;
  sourcePath?: string;
  destPath?: string;
  uri?: string;
  scheme?: string;
  /** The tool's known side effects (sorted); absent when unknown or not a tool call. */
  sideEffects?: string[];
}

export interface DecisionRecord {
  requestId: string;
  method: string;
  toolName?: string;
  decision: DecisionEffect;
  outcome: "forwarded" | "denied";
  /** Why, for logs and audit (may name paths; never sent to the client). */
  reason: string;
  matchedRules: string[];
  /** The same rules with their effect and description, for the decision log. */
  matched: MatchedRuleSummary[];
  /** A rule id or a special value: default, discovery_bypass, built_in_protected_path, rate_limit_breach… */
  finalRule: string;
  policyVersion: string;
  /** Every normalised path the request touches. */
  paths: string[];
  target: DecisionTarget;
  /** The session the request belongs to (the loop limiter's key). */
  sessionId: string;
  evalMicros: number;
  /** Set for hitl decisions that asked the approval broker. */
  hitl?: DecisionHitl;
  subjectId: string;
  /** ISO 8601, UTC. */
  time: string;
}

export interface EnforcementCounters {
  requestsTotal: number;
  allowed: number;
  denied: number;
  hitl: number;
  discovery: number;
}
