// Shapes shared by the enforcement pipeline and whoever assembles it (the start command, audit,
// stats). Field names follow the proxy contract.
import type { CompiledPolicy } from "../../../lib/policy/index.ts";
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
  /** Audit (issue 4) and stats plug in here; a throw is logged and ignored. */
  onDecision?: (d: DecisionRecord) => void;
  limits?: EnforcementLimits;
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

export interface DecisionRecord {
  requestId: string;
  method: string;
  toolName?: string;
  decision: DecisionEffect;
  outcome: "forwarded" | "denied";
  /** Why, for logs and audit (may name paths; never sent to the client). */
  reason: string;
  matchedRules: string[];
  /** A rule id or a special value: default, discovery_bypass, built_in_protected_path, rate_limit_breach… */
  finalRule: string;
  policyVersion: string;
  /** Every normalised path the request touches. */
  paths: string[];
  evalMicros: number;
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
