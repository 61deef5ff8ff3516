// The enforcement pipeline behind the relay's hooks (design §4): DoS limiter → context →
// classification → for actions: decision context, protected paths, loop limiter, policy
// decision, and a human's approval when the decision says hitl. Every request yields exactly one
// DecisionRecord, and anything unexpected denies.
import { randomUUID } from "node:crypto";
import { homedir } from "node:os";
import { isAbsolute } from "node:path";
import {
  buildDecisionContext,
  checkProtectedContext,
  classifyMethod,
  type CompiledPolicy,
  type DecisionContext,
  type Decision as PolicyDecision,
  evaluate,
  FINAL_RULE_DISCOVERY,
  FINAL_RULE_PROTECTED_PATH,
  FINAL_RULE_RATE_LIMIT,
  type ProtectedPathOptions,
  type Subject as PolicySubject,
} from "../../../lib/policy/index.ts";
import { FORWARD, type RelayHooks, type RequestContext, type RequestDecision } from "../relay/hooks.ts";
import type { JSONRPCRequest, JSONRPCResponse } from "../relay/jsonrpc.ts";
import { approvalRequestFor, approvalVerdict, DEFAULT_HITL_TIMEOUT_SECONDS } from "./approval-step.ts";
import { DecisionCounters } from "./decision-counters.ts";
import { auditFailureDecision, denialDecision, denialMessage, type DenialKind, displayMethod, globalRateLimitDecision } from "./denial.ts";
import { EnforcementError, EnforcementErrorCode } from "./errors.ts";
import { createFsRealpath } from "./fs-realpath.ts";
import { resolveLimits } from "./limits.ts";
import { filterListResult } from "./list-filter.ts";
import { ToolLoopLimiter } from "./loop-limiter.ts";
import { TokenBucket } from "./token-bucket.ts";
import type { ApprovalGate, DecisionEffect, DecisionHitl, DecisionRecord, DecisionTarget, EnforcementCounters, EnforcementOptions, MatchedRuleSummary } from "./types.ts";

/** final_rule values for refusals that no rule produced. */
export const FINAL_RULE_DOS_LIMIT = "global_rate_limit";
export const FINAL_RULE_CONTEXT_ERROR = "context_error";
export const FINAL_RULE_ENGINE_ERROR = "engine_error";
/** matched_rules entry of a loop-limiter refusal (spec §6.3). */
export const LOOP_LIMIT_RULE = "rate_limit";
export const REASON_NO_APPROVER = "no_approver";

export type EnforcementHooks = Required<Pick<RelayHooks, "onClientRequest" | "onBackendResponse">> & {
  counters(): EnforcementCounters;
};

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function record(value: unknown): Record<string, unknown> | null {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

function toolNameOf(request: JSONRPCRequest): string | undefined {
  if (request.method !== "tools/call") return undefined;
  const name = record(request.params)?.["name"];
  return typeof name === "string" && name !== "" ? name : undefined;
}

function nonEmptyString(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

/** The normalised facts of the request that the audit records name. */
function targetOf(dctx: DecisionContext | null): DecisionTarget {
  if (dctx === null) return {};
  const r = dctx.resource;
  const target: DecisionTarget = {};
  if (r.path !== null) target.path = r.path;
  if (r.extension !== null) target.extension = r.extension;
  if (r.sourcePath !== null) target.sourcePath = r.sourcePath;
  if (r.destPath !== null) target.destPath = r.destPath;
  if (r.uri !== null) target.uri = r.uri;
  if (r.scheme !== null) target.scheme = r.scheme;
  const effects = r.tool?.sideEffects;
  if (effects !== null && effects !== undefined) target.sideEffects = [...effects].sort();
  return target;
}

function summaryOf(rule: { id: string; effect: DecisionEffect; description: string | null }): MatchedRuleSummary {
  return rule.description === null ? { id: rule.id, effect: rule.effect } : { id: rule.id, effect: rule.effect, description: rule.description };
}

/** What one request's refusal or permission looks like before it becomes a record. */
interface Verdict {
  decision: DecisionEffect;
  reason: string;
  finalRule: string;
  matchedRules?: readonly MatchedRuleSummary[];
  policyVersion: string;
  evalMicros?: number;
  /** Set when refused: what the client is told. */
  denial?: DenialKind;
  /** Set for a hitl decision the approval broker answered. */
  hitl?: DecisionHitl;
}

export function createEnforcementHooks(opts: EnforcementOptions): EnforcementHooks {
  for (const dir of opts.protectedDirs) {
    if (!isAbsolute(dir)) {
      throw new EnforcementError(
        EnforcementErrorCode.InvalidProtectedDir,
        `protected directory ${JSON.stringify(dir)} is not an absolute path; pass the realpath of the config and log directories`,
      );
    }
  }
  const limits = resolveLimits(opts.limits);
  const clock = opts.now ?? (() => performance.now());
  const logger = opts.logger;
  const bucket = new TokenBucket({ capacity: limits.dosBurst, refillPerSecond: limits.dosRatePerSecond, now: clock });
  const loops = new ToolLoopLimiter({ threshold: limits.loopThreshold, windowMs: limits.loopWindowMs, now: clock });
  const counters = new DecisionCounters();
  const sessionId = opts.sessionId ?? randomUUID();
  const cwd = opts.cwd ?? process.cwd();
  const homeDir = opts.homeDir ?? homedir();
  const subject: PolicySubject = { id: opts.subject.id, provenance: opts.subject.provenance };
  const hitlTimeoutSeconds = opts.hitlTimeoutSeconds ?? DEFAULT_HITL_TIMEOUT_SECONDS;
  const protectedOptions: ProtectedPathOptions = {
    protectedDirs: [...opts.protectedDirs],
    realpath: createFsRealpath(),
    cwd,
  };
  // Cached from `initialize`; the first non-empty value wins for the life of the session.
  let clientName: string | null = null;
  let clientVersion: string | null = null;

  const emit = (request: JSONRPCRequest, v: Verdict, dctx: DecisionContext | null): DecisionRecord => {
    const toolName = toolNameOf(request);
    const matched = v.matchedRules === undefined ? [] : [...v.matchedRules];
    const rec: DecisionRecord = {
      requestId: String(request.id),
      method: request.method,
      ...(toolName === undefined ? {} : { toolName }),
      decision: v.decision,
      outcome: v.denial === undefined ? "forwarded" : "denied",
      reason: v.reason,
      matchedRules: matched.map((r) => r.id),
      matched,
      finalRule: v.finalRule,
      policyVersion: v.policyVersion,
      paths: dctx === null ? [] : [...dctx.resource.paths],
      target: targetOf(dctx),
      sessionId,
      evalMicros: v.evalMicros ?? 0,
      ...(v.hitl === undefined ? {} : { hitl: v.hitl }),
      subjectId: opts.subject.id,
      time: new Date().toISOString(),
    };
    logger.debug(`Decision ${rec.decision} (${rec.outcome}) for ${displayMethod(rec.method)}: ${rec.reason}`, {
      event: "decision",
      ...rec,
    });
    if (opts.onDecision !== undefined) {
      try {
        opts.onDecision(rec);
      } catch (error) {
        logger.error(`Decision listener failed for ${displayMethod(rec.method)}: ${errorMessage(error)}`);
      }
    }
    return rec;
  };

  // The write-ahead audit (design §4 step 5): the record is durable before the request moves on,
  // or the request is refused.
  const audited = (rec: DecisionRecord, request: JSONRPCRequest): boolean => {
    if (opts.recordDecision === undefined) return true;
    try {
      opts.recordDecision(rec, request);
      return true;
    } catch (error) {
      logger.error(`Decision audit failed for ${displayMethod(rec.method)}; refused with -32603: ${errorMessage(error)}`, { event: "decision_audit_failed" });
      return false;
    }
  };

  // Stats must never disturb a decision: a sample that cannot be kept is logged and dropped.
  const sample = (metric: "proxy_total" | "policy_eval" | "hitl_wait", ms: number): void => {
    if (opts.latency === undefined) return;
    try {
      opts.latency.record(metric, ms);
    } catch (error) {
      logger.warn(`Could not record a ${metric} latency sample: ${errorMessage(error)}`);
    }
  };

  /** `receivedAt`: set for allowed actions that needed no human, whose proxy time is measured. */
  const conclude = (request: JSONRPCRequest, v: Verdict, dctx: DecisionContext | null, receivedAt?: number): RequestDecision => {
    const rec = emit(request, v, dctx);
    counters.countDecision(rec);
    if (!audited(rec, request)) return auditFailureDecision();
    if (v.denial === undefined) {
      if (receivedAt !== undefined) sample("proxy_total", Math.max(0, performance.now() - receivedAt));
      return FORWARD;
    }
    const detail = v.denial === "rate_limited" ? { threshold: limits.loopThreshold, windowMs: limits.loopWindowMs } : undefined;
    return denialDecision(request.method, v.denial, v.decision, denialMessage(v.denial, request.method, detail));
  };

  // For records of refusals that happen before (or because) the policy could not be read.
  const versionOrEmpty = (): string => {
    try {
      return opts.policy.snapshot.version;
    } catch {
      return "";
    }
  };

  const rememberClient = (request: JSONRPCRequest): void => {
    const info = record(record(request.params)?.["clientInfo"]);
    if (info === null) return;
    clientName ??= nonEmptyString(info["name"]);
    clientVersion ??= nonEmptyString(info["version"]);
  };

  // A hitl decision: ask the broker (cache, a human, or an immediate no_approver), then record
  // the outcome once. The request waits here; ctx.signal withdraws the approval.
  const askHuman = async (
    gate: ApprovalGate,
    request: JSONRPCRequest,
    ctx: RequestContext,
    dctx: DecisionContext,
    d: PolicyDecision,
    base: Omit<Verdict, "decision" | "reason">,
  ): Promise<RequestDecision> => {
    const input = approvalRequestFor({ request, dctx, decision: d, subjectId: opts.subject.id, backendId: opts.backendId, timeoutSeconds: hitlTimeoutSeconds });
    const outcome = await gate.request(input, ctx.signal);
    const verdict = approvalVerdict(outcome);
    sample("hitl_wait", verdict.hitl.waitMs);
    const toolName = dctx.resource.tool?.name;
    if (verdict.denial === undefined && toolName !== undefined) loops.record(sessionId, toolName);
    const reason = verdict.hitl.outcome === "no_approver" && outcome.approvalId === null ? REASON_NO_APPROVER : `${d.reason}: ${verdict.note}`;
    return conclude(request, { ...base, decision: "hitl", reason, hitl: verdict.hitl, ...(verdict.denial === undefined ? {} : { denial: verdict.denial }) }, dctx);
  };

  const decideAction = (request: JSONRPCRequest, ctx: RequestContext, snapshot: CompiledPolicy): RequestDecision | Promise<RequestDecision> => {
    const method = request.method;
    const version = snapshot.version;
    let dctx: DecisionContext;
    try {
      dctx = buildDecisionContext({
        method,
        params: request.params,
        subject,
        backendId: opts.backendId,
        proxyName: opts.proxyName,
        requestId: request.id,
        sessionId,
        clientName,
        clientVersion,
        paths: { cwd, homeDir },
      });
    } catch (error) {
      logger.warn(`Could not build the decision context for ${displayMethod(method)}; denied: ${errorMessage(error)}`, {
        event: "request_error",
      });
      return conclude(
        request,
        { decision: "deny", reason: `context_error: ${errorMessage(error)}`, finalRule: FINAL_RULE_CONTEXT_ERROR, policyVersion: version, denial: "internal_error" },
        null,
      );
    }

    const guard = checkProtectedContext(dctx, protectedOptions);
    if (guard.protected) {
      logger.warn(`Refused ${displayMethod(method)}: ${guard.path}: ${guard.reason}`, { event: "protected_path_denied" });
      return conclude(
        request,
        { decision: "deny", reason: `protected path ${guard.path}: ${guard.reason}`, finalRule: FINAL_RULE_PROTECTED_PATH, policyVersion: version, denial: "policy_denied" },
        dctx,
      );
    }

    const toolName = dctx.resource.tool?.name;
    if (toolName !== undefined) {
      const loop = loops.check(sessionId, toolName);
      if (loop.breach) return rateLimitBreach(request, ctx, dctx, version, toolName, loop.count);
    }
    return evaluateAndConclude(request, ctx, dctx, snapshot);
  };

  const evaluateAndConclude = (request: JSONRPCRequest, ctx: RequestContext, dctx: DecisionContext, snapshot: CompiledPolicy): RequestDecision | Promise<RequestDecision> => {
    const toolName = dctx.resource.tool?.name;
    const started = performance.now();
    const d = evaluate(snapshot, dctx);
    const evalMs = performance.now() - started;
    const evalMicros = Math.round(evalMs * 1000);
    sample("policy_eval", evalMs);
    const base = { matchedRules: d.matchedRules.map(summaryOf), finalRule: d.finalRuleId, policyVersion: d.policyVersion, evalMicros };
    switch (d.effect) {
      case "allow":
        if (toolName !== undefined) loops.record(sessionId, toolName);
        return conclude(request, { ...base, decision: "allow", reason: d.reason }, dctx, ctx.receivedAt);
      case "deny":
        return conclude(request, { ...base, decision: "deny", reason: d.reason, denial: "policy_denied" }, dctx);
      case "hitl":
        // Without an approval broker nobody can be asked: refused at once, synchronously.
        if (opts.approvals === undefined) return conclude(request, { ...base, decision: "hitl", reason: REASON_NO_APPROVER, denial: "no_approver" }, dctx);
        return askHuman(opts.approvals, request, ctx, dctx, d, base);
    }
  };

  // Spec §9.2: a loop breach asks a human (never cached, no path shown). Approved: the tool's
  // window starts afresh, the approval is recorded, and the request goes on to normal evaluation
  // (which may ask again). Refused, timed out or nobody to ask: denied as rate limited.
  const rateLimitBreach = (
    request: JSONRPCRequest,
    ctx: RequestContext,
    dctx: DecisionContext,
    version: string,
    toolName: string,
    count: number,
  ): RequestDecision | Promise<RequestDecision> => {
    const what = `${count} calls to ${JSON.stringify(toolName)} within ${limits.loopWindowMs} ms`;
    logger.warn(`Rate limit: ${what}; asking for approval`, { event: "rate_limit_triggered", tool: toolName });
    const breach = { finalRule: FINAL_RULE_RATE_LIMIT, policyVersion: version };
    const refuse = (hitl: DecisionHitl | undefined, note: string): RequestDecision =>
      conclude(
        request,
        {
          ...breach,
          decision: "deny",
          reason: `rate_limit_breach: ${what}${note === "" ? "" : `: ${note}`}`,
          matchedRules: [{ id: LOOP_LIMIT_RULE, effect: "deny" }],
          denial: "rate_limited",
          ...(hitl === undefined ? {} : { hitl }),
        },
        dctx,
      );
    // Without an approval broker nobody can be asked: refused at once, synchronously.
    if (opts.approvals === undefined) return refuse(undefined, "");
    return askAboutBreach(opts.approvals, request, ctx, dctx, toolName, what, breach, refuse);
  };

  const askAboutBreach = async (
    gate: ApprovalGate,
    request: JSONRPCRequest,
    ctx: RequestContext,
    dctx: DecisionContext,
    toolName: string,
    what: string,
    breach: { finalRule: string; policyVersion: string },
    refuse: (hitl: DecisionHitl | undefined, note: string) => RequestDecision,
  ): Promise<RequestDecision> => {
    const version = breach.policyVersion;
    const outcome = await gate.request(
      {
        subjectId: opts.subject.id,
        backendId: opts.backendId,
        method: request.method,
        toolName,
        arguments: {},
        paths: [],
        sideEffects: null,
        matchedRuleId: FINAL_RULE_RATE_LIMIT,
        reason: `Rate limit exceeded: ${what}`,
        policyVersion: version,
        requestId: String(request.id),
        timeoutSeconds: hitlTimeoutSeconds,
        canCache: false,
      },
      ctx.signal,
    );
    const verdict = approvalVerdict(outcome);
    sample("hitl_wait", verdict.hitl.waitMs);
    if (verdict.denial !== undefined) {
      logger.warn(`Rate limit breach for ${JSON.stringify(toolName)} refused (${verdict.note})`, { event: "rate_limit_denied", tool: toolName });
      return refuse(verdict.hitl, verdict.note);
    }
    loops.reset(sessionId, toolName);
    logger.info(`Rate limit breach for ${JSON.stringify(toolName)} approved (${verdict.note}); evaluating the policy`, { event: "rate_limit_approved", tool: toolName });
    const approval = emit(
      request,
      { ...breach, decision: "hitl", reason: `rate_limit_breach: ${what}: ${verdict.note}`, matchedRules: [{ id: LOOP_LIMIT_RULE, effect: "hitl" }], evalMicros: 0, hitl: verdict.hitl },
      dctx,
    );
    if (!audited(approval, request)) return auditFailureDecision();
    return evaluateAndConclude(request, ctx, dctx, opts.policy.snapshot);
  };

  // Used where the request is refused whatever happens: recording must not turn into a throw.
  // False when the audit write failed (the refusal then becomes an audit-failure answer).
  const emitSafely = (request: JSONRPCRequest, v: Verdict): boolean => {
    let rec: DecisionRecord;
    try {
      rec = emit(request, v, null);
      counters.countDecision(rec);
    } catch (error) {
      logger.error(`Could not record the refusal of ${displayMethod(request.method)}: ${errorMessage(error)}`);
      return true;
    }
    return audited(rec, request);
  };

  const engineFailure = (request: JSONRPCRequest, version: string, error: unknown): RequestDecision => {
    logger.error(`Enforcement failed for ${displayMethod(request.method)}; denied: ${errorMessage(error)}`, {
      event: "engine_error",
    });
    const verdict: Verdict = {
      decision: "deny",
      reason: `engine_error: ${errorMessage(error)}`,
      finalRule: FINAL_RULE_ENGINE_ERROR,
      policyVersion: version,
      denial: "internal_error",
    };
    if (!emitSafely(request, verdict)) return auditFailureDecision();
    return denialDecision(request.method, "internal_error", "deny", denialMessage("internal_error", request.method));
  };

  const onClientRequest = (request: JSONRPCRequest, ctx: RequestContext): RequestDecision | Promise<RequestDecision> => {
    counters.countRequest();
    if (!bucket.tryTake()) {
      logger.warn(`Global rate limit exceeded; refused ${displayMethod(request.method)}`, { event: "dos_limit" });
      const recorded = emitSafely(request, {
        decision: "deny",
        reason: `global rate limit exceeded (${limits.dosBurst} burst, ${limits.dosRatePerSecond}/s)`,
        finalRule: FINAL_RULE_DOS_LIMIT,
        policyVersion: versionOrEmpty(),
        denial: "rate_limited",
      });
      return recorded ? globalRateLimitDecision() : auditFailureDecision();
    }
    let version = "";
    try {
      const method = request.method;
      if (method === "initialize") rememberClient(request);
      const snapshot = opts.policy.snapshot;
      version = snapshot.version;
      if (classifyMethod(method) === "discovery") {
        counters.countDiscovery();
        const rec = emit(request, { decision: "allow", reason: "discovery method: allowed without evaluating rules", finalRule: FINAL_RULE_DISCOVERY, policyVersion: version }, null);
        return audited(rec, request) ? FORWARD : auditFailureDecision();
      }
      const decided = decideAction(request, ctx, snapshot);
      if (decided instanceof Promise) return decided.catch((error: unknown) => engineFailure(request, snapshot.version, error));
      return decided;
    } catch (error) {
      return engineFailure(request, version, error);
    }
  };

  const onBackendResponse = (response: JSONRPCResponse, request: JSONRPCRequest): JSONRPCResponse => {
    if (!("result" in response)) return response;
    const filtered = filterListResult(request.method, response.result, {
      snapshot: opts.policy.snapshot,
      backendId: opts.backendId,
      subjectId: opts.subject.id,
      logger,
    });
    if (filtered === null) return response;
    const { stats } = filtered;
    if (stats.hidden + stats.dropped + stats.sanitized > 0) {
      logger.debug(`Filtered ${request.method}: ${stats.received} received, ${stats.hidden} hidden by policy, ${stats.dropped} dropped, ${stats.sanitized} sanitised`, {
        event: "list_filtered",
        ...stats,
      });
    }
    return { ...response, result: filtered.result };
  };

  return { onClientRequest, onBackendResponse, counters: () => counters.snapshot() };
}
