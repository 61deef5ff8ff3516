// The decision point: a pure function of one CompiledPolicy snapshot and one DecisionContext,
// computing the effect, the matched rules and the final rule in a single pass.
//
// A request that touches several paths is judged once per path target; a path that no rule
// covers is default-denied, and the verdicts are combined deny > hitl > allow, so every path
// must be permitted. Within one target the policy's combining algorithm applies
// (deny-overrides by default). Protected paths are not checked here: the PEP does that for
// any engine, before calling evaluate.

import { type CompiledPolicy, type CompiledRule, type Probe, toolMatchedRules } from "./compile.ts";
import {
  type CombiningAlgorithm,
  type Decision,
  type DecisionContext,
  type Effect,
  FINAL_RULE_DEFAULT,
  FINAL_RULE_DISCOVERY,
  type MatchedRule,
  type PathTarget,
} from "./model.ts";

const DENY = 1;
const HITL = 2;
const ALLOW = 4;

const EFFECT_BIT: Record<Effect, number> = { deny: DENY, hitl: HITL, allow: ALLOW };

const NO_MATCHES: readonly MatchedRule[] = Object.freeze([]);
const NO_IDS: readonly string[] = Object.freeze([]);

/** Effect of one target's matches; 0 (nothing matched) is the default deny. */
function combine(mask: number, combining: CombiningAlgorithm): Effect {
  if (combining === "hitl-overrides" && (mask & HITL) !== 0) return "hitl";
  if ((mask & DENY) !== 0 || mask === 0) return "deny";
  if ((mask & HITL) !== 0) return "hitl";
  return "allow";
}

function makeProbe(ctx: DecisionContext): Probe {
  const r = ctx.resource;
  const tool = r.tool;
  return {
    toolName: tool === null ? null : tool.name,
    toolLower: tool === null ? null : tool.name.toLowerCase(),
    operation: tool === null ? null : tool.operation,
    sideEffects: tool === null ? null : tool.sideEffects,
    arguments: tool === null ? undefined : tool.arguments,
    backendLower: r.serverId.toLowerCase(),
    method: ctx.action.mcpMethod,
    subjectId: ctx.subject.id,
    resourceType: r.type,
    scheme: r.scheme,
  };
}

// For a named tool the tool-level checks already ran when the candidates were selected.
function passesRequestChecks(rule: CompiledRule, probe: Probe, toolChecked: boolean): boolean {
  if (!toolChecked) for (const check of rule.toolChecks) if (!check(probe)) return false;
  return rule.argumentsCheck === null || rule.argumentsCheck(probe.arguments);
}

function passesTarget(rule: CompiledRule, target: PathTarget): boolean {
  if (!target.path.startsWith(rule.pathPrefix)) return false;
  for (const check of rule.targetChecks) if (!check(target)) return false;
  return true;
}

function finalRule(matched: readonly CompiledRule[], effect: Effect): CompiledRule | null {
  let best: CompiledRule | null = null;
  for (const r of matched) {
    if (r.effect === effect && (best === null || r.specificity > best.specificity)) best = r;
  }
  return best;
}

function decision(
  snapshot: CompiledPolicy,
  effect: Effect,
  matched: readonly CompiledRule[],
  uncoveredPath: string | null,
): Decision {
  const matchedRules = matched.length === 0 ? NO_MATCHES : matched.map((r) => r.summary);
  const matchedRuleIds = matched.length === 0 ? NO_IDS : matched.map((r) => r.id);
  const final = finalRule(matched, effect);
  if (final === null) {
    const reason =
      uncoveredPath === null
        ? "no rule matched: denied by default"
        : `no rule matched path ${JSON.stringify(uncoveredPath)}: denied by default`;
    return { effect, matchedRules, matchedRuleIds, finalRuleId: FINAL_RULE_DEFAULT, finalRule: null, reason, policyVersion: snapshot.version };
  }
  const others = matched.length - 1;
  const reason =
    others === 0
      ? `${effect} by rule ${JSON.stringify(final.id)}`
      : `${effect} by rule ${JSON.stringify(final.id)} (${matched.length} rules matched, ${snapshot.combining})`;
  return { effect, matchedRules, matchedRuleIds, finalRuleId: final.id, finalRule: final.summary, reason, policyVersion: snapshot.version };
}

function discoveryDecision(snapshot: CompiledPolicy): Decision {
  return {
    effect: "allow",
    matchedRules: NO_MATCHES,
    matchedRuleIds: NO_IDS,
    finalRuleId: FINAL_RULE_DISCOVERY,
    finalRule: null,
    reason: "discovery method: allowed without evaluating rules",
    policyVersion: snapshot.version,
  };
}

/** Evaluates one request against one snapshot. Discovery methods are allowed without rules. */
export function evaluate(snapshot: CompiledPolicy, ctx: DecisionContext): Decision {
  if (ctx.action.category === "discovery") return discoveryDecision(snapshot);
  const probe = makeProbe(ctx);
  const { toolName, toolLower } = probe;
  const toolChecked = toolName !== null && toolLower !== null;
  const candidates =
    toolName !== null && toolLower !== null
      ? toolMatchedRules(snapshot, probe, toolName, toolLower)
      : probe.resourceType === "tool"
        ? snapshot.namelessTool
        : snapshot.byKind[probe.resourceType];
  const targets = ctx.resource.targets;
  const views = targets.length;
  const matched: CompiledRule[] = [];

  if (views <= 1) {
    const target = targets[0];
    let mask = 0;
    for (const rule of candidates) {
      if (!passesRequestChecks(rule, probe, toolChecked)) continue;
      if (rule.targetChecks.length > 0 && (target === undefined || !passesTarget(rule, target))) continue;
      matched.push(rule);
      mask |= EFFECT_BIT[rule.effect];
    }
    return decision(snapshot, combine(mask, snapshot.combining), matched, null);
  }

  const masks = new Uint8Array(views);
  for (const rule of candidates) {
    if (!passesRequestChecks(rule, probe, toolChecked)) continue;
    const bit = EFFECT_BIT[rule.effect];
    if (rule.targetChecks.length === 0) {
      for (let i = 0; i < views; i++) masks[i] = (masks[i] as number) | bit;
      matched.push(rule);
      continue;
    }
    let any = false;
    for (let i = 0; i < views; i++) {
      if (passesTarget(rule, targets[i] as PathTarget)) {
        masks[i] = (masks[i] as number) | bit;
        any = true;
      }
    }
    if (any) matched.push(rule);
  }
  let overall = 0;
  let uncovered: string | null = null;
  for (let i = 0; i < views; i++) {
    const mask = masks[i] as number;
    if (mask === 0 && uncovered === null) uncovered = (targets[i] as PathTarget).path;
    overall |= EFFECT_BIT[combine(mask, snapshot.combining)];
  }
  // Across targets the strictest verdict wins whatever the combining algorithm.
  const effect: Effect = (overall & DENY) !== 0 ? "deny" : (overall & HITL) !== 0 ? "hitl" : "allow";
  return decision(snapshot, effect, matched, effect === "deny" ? uncovered : null);
}

/** Every rule that matches, in file order (the engine contract's getMatchingRules). */
export function matchingRules(snapshot: CompiledPolicy, ctx: DecisionContext): readonly MatchedRule[] {
  if (ctx.action.category === "discovery") return NO_MATCHES;
  return evaluate(snapshot, ctx).matchedRules;
}
