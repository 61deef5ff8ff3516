// Policy → immutable CompiledPolicy snapshot. Every glob, regex, set and pointer is built here,
// once per load; rules are indexed by literal tool name (with a wildcard bucket) so evaluation
// only visits rules that could match. A reload compiles a new snapshot and swaps the reference,
// so one evaluation never mixes two policies.

import { createHash } from "node:crypto";
import { compilePathGlob, isLiteralShellGlob } from "./glob.ts";
import {
  type ArgumentsTest,
  type StringTest,
  argumentsMatcher,
  exactList,
  listOf,
  pathGlobList,
  regexList,
  shellGlobList,
} from "./matchers.ts";
import type {
  CombiningAlgorithm,
  Effect,
  MatchedRule,
  Operation,
  PathTarget,
  Policy,
  ResourceType,
  Rule,
  SideEffect,
  StringOrList,
} from "./model.ts";
import { ruleKinds } from "./reachability.ts";
import { ruleSpecificity } from "./specificity.ts";
import { validatePolicy } from "./validate.ts";

/** Per-evaluation view of the request-level attributes, lowercased where matching needs it. */
export interface Probe {
  /** Tool name as received; operation inference reads its camelCase. */
  toolName: string | null;
  toolLower: string | null;
  operation: Operation | null;
  sideEffects: ReadonlySet<SideEffect> | null;
  arguments: unknown;
  backendLower: string;
  method: string;
  subjectId: string | null;
  resourceType: ResourceType;
  scheme: string | null;
}

type ProbeCheck = (p: Probe) => boolean;
type TargetCheck = (t: PathTarget) => boolean;

export interface CompiledRule {
  /** Position in the file; ties in specificity go to the lower index. */
  readonly index: number;
  readonly rule: Rule;
  readonly id: string;
  readonly effect: Effect;
  readonly specificity: number;
  /** What the decision log records when this rule matches. */
  readonly summary: MatchedRule;
  /** An empty list condition never matches, so such a rule is inert. */
  readonly inert: boolean;
  /** Conditions known from the tool alone: name, derived attributes, backend, subject, method. */
  readonly toolChecks: readonly ProbeCheck[];
  /** Conditions on this call's arguments (known per request, not per tool). */
  readonly argumentsCheck: ArgumentsTest | null;
  /** Conditions on one path target; a rule with any needs at least one path. */
  readonly targetChecks: readonly TargetCheck[];
  /**
   * Text every path matching this rule's path_pattern starts with ("" when there is no such
   * text). Lets the evaluator skip the rule for a path with one inline startsWith.
   */
  readonly pathPrefix: string;
}

export interface CompiledPolicy {
  readonly version: string;
  readonly policy: Policy;
  readonly combining: CombiningAlgorithm;
  readonly rules: readonly CompiledRule[];
  /** Live rules that can apply to each request kind (see reachability), in file order. */
  readonly byKind: Readonly<Record<ResourceType, readonly CompiledRule[]>>;
  /** tools/call: lowercased literal tool name → candidates (indexed + wildcard), file order. */
  readonly byTool: ReadonlyMap<string, readonly CompiledRule[]>;
  /** tools/call candidates for a name not in byTool. */
  readonly anyTool: readonly CompiledRule[];
  /** tools/call without a tool name: rules with no tool_name condition. */
  readonly namelessTool: readonly CompiledRule[];
  readonly toolMemo: ToolMemo;
}

export interface CompileOptions {
  /** Version label recorded with every decision; defaults to a digest of the policy. */
  version?: string;
  /**
   * Compare paths case-insensitively in deny rules (for case-insensitive filesystems such as
   * macOS and Windows defaults), so `/Secret` cannot dodge a deny written for `/secret`.
   */
  foldCaseInDenyPaths?: boolean;
}

function isEmptyList(value: unknown): boolean {
  return Array.isArray(value) && value.length === 0;
}

function toolLevelChecks(rule: Rule): ProbeCheck[] {
  const c = rule.conditions;
  const checks: ProbeCheck[] = [];
  if (c.tool_name !== undefined) {
    const test = shellGlobList(listOf(c.tool_name), true);
    checks.push((p) => p.toolLower !== null && test(p.toolLower));
  }
  if (c.operations !== undefined) {
    const ops: ReadonlySet<Operation> = new Set(c.operations);
    checks.push((p) => p.operation !== null && ops.has(p.operation));
  }
  if (c.side_effects !== undefined) {
    const wanted = c.side_effects;
    checks.push((p) => {
      const have = p.sideEffects;
      if (have === null) return false;
      for (const e of wanted) if (have.has(e)) return true;
      return false;
    });
  }
  if (c.backend_id !== undefined) {
    const test = shellGlobList(listOf(c.backend_id), true);
    checks.push((p) => test(p.backendLower));
  }
  if (c.mcp_method !== undefined) {
    const test = shellGlobList(listOf(c.mcp_method), false);
    checks.push((p) => test(p.method));
  }
  if (c.subject_id !== undefined) {
    const test = exactList(listOf(c.subject_id), false);
    checks.push((p) => p.subjectId !== null && test(p.subjectId));
  }
  if (c.resource_type !== undefined) {
    const type = c.resource_type;
    checks.push((p) => p.resourceType === type);
  }
  if (c.scheme !== undefined) {
    const test = exactList(listOf(c.scheme), true);
    checks.push((p) => p.scheme !== null && test(p.scheme));
  }
  return checks;
}

function targetField(test: StringTest, pick: (t: PathTarget) => string | null): TargetCheck {
  return (t) => {
    const value = pick(t);
    return value !== null && test(value);
  };
}

function targetLevelChecks(rule: Rule, foldCase: boolean): TargetCheck[] {
  const c = rule.conditions;
  const checks: TargetCheck[] = [];
  const glob = (v: StringOrList) => pathGlobList(listOf(v), foldCase);
  if (c.path_pattern !== undefined) checks.push(targetField(glob(c.path_pattern), (t) => t.path));
  if (c.path_regex !== undefined) checks.push(targetField(regexList(listOf(c.path_regex), foldCase), (t) => t.path));
  if (c.source_path !== undefined) checks.push(targetField(glob(c.source_path), (t) => t.sourcePath));
  if (c.dest_path !== undefined) checks.push(targetField(glob(c.dest_path), (t) => t.destPath));
  if (c.extension !== undefined) {
    const test = exactList(listOf(c.extension), true);
    checks.push((t) => t.extension !== null && test(t.extension.toLowerCase()));
  }
  return checks;
}

function commonPrefix(a: string, b: string): string {
  let i = 0;
  while (i < a.length && i < b.length && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return a.slice(0, i);
}

function pathPatternPrefix(value: StringOrList | undefined, foldCase: boolean): string {
  if (value === undefined || foldCase) return "";
  let prefix: string | null = null;
  for (const item of listOf(value)) {
    const glob = compilePathGlob(item);
    if (glob === null) continue;
    prefix = prefix === null ? glob.prefix : commonPrefix(prefix, glob.prefix);
  }
  return prefix ?? "";
}

function compileRule(rule: Rule, index: number, options: CompileOptions): CompiledRule {
  const specificity = ruleSpecificity(rule.conditions);
  const summary: MatchedRule = Object.freeze({
    id: rule.id,
    description: rule.description ?? null,
    effect: rule.effect,
    specificity,
    cacheSideEffects: rule.cache_side_effects === undefined ? null : Object.freeze([...rule.cache_side_effects]),
  });
  const foldCase = options.foldCaseInDenyPaths === true && rule.effect === "deny";
  return {
    index,
    rule,
    id: rule.id,
    effect: rule.effect,
    specificity,
    summary,
    inert: Object.values(rule.conditions).some(isEmptyList),
    toolChecks: toolLevelChecks(rule),
    argumentsCheck: rule.conditions.arguments === undefined ? null : argumentsMatcher(rule.conditions.arguments),
    targetChecks: targetLevelChecks(rule, foldCase),
    pathPrefix: pathPatternPrefix(rule.conditions.path_pattern, foldCase),
  };
}

/** Lowercased names when every tool_name item is literal; null when the rule needs the wildcard bucket. */
function literalToolNames(value: StringOrList | undefined): string[] | null {
  if (value === undefined) return null;
  const items = listOf(value);
  return items.every(isLiteralShellGlob) ? items.map((n) => n.toLowerCase()) : null;
}

function defaultVersion(policy: Policy): string {
  return `sha256:${createHash("sha256").update(JSON.stringify(policy)).digest("hex").slice(0, 16)}`;
}

/**
 * Bounded memo: backend → subject → tool → rules whose tool-level checks pass. Those checks
 * depend only on these three values, so a proxy (one backend, usually one user, a fixed tool
 * list) filters each tool once per snapshot. Nested maps avoid building a key string per call.
 */
export class ToolMemo {
  static readonly LIMIT = 4096;
  #size = 0;
  readonly #byBackend = new Map<string, Map<string | null, Map<string, readonly CompiledRule[]>>>();

  get(backend: string, subject: string | null, tool: string): readonly CompiledRule[] | undefined {
    return this.#byBackend.get(backend)?.get(subject)?.get(tool);
  }

  /** Tool names come from clients: past the limit, results are not kept. */
  set(backend: string, subject: string | null, tool: string, rules: readonly CompiledRule[]): void {
    if (this.#size >= ToolMemo.LIMIT) return;
    let bySubject = this.#byBackend.get(backend);
    if (bySubject === undefined) {
      bySubject = new Map();
      this.#byBackend.set(backend, bySubject);
    }
    let byTool = bySubject.get(subject);
    if (byTool === undefined) {
      byTool = new Map();
      bySubject.set(subject, byTool);
    }
    if (!byTool.has(tool)) this.#size++;
    byTool.set(tool, rules);
  }
}

function passesToolChecks(rule: CompiledRule, probe: Probe): boolean {
  for (const check of rule.toolChecks) if (!check(probe)) return false;
  return true;
}

/**
 * Rules whose tool-level conditions (tool name and what derives from it, backend, subject,
 * method, resource type) hold for a tools/call probe with a tool name, in file order.
 */
export function toolMatchedRules(snapshot: CompiledPolicy, probe: Probe, toolName: string, toolLower: string): readonly CompiledRule[] {
  // Keyed by the exact name: `readFile` and `readfile` share tool_name matches but not the
  // inferred operation.
  const hit = snapshot.toolMemo.get(probe.backendLower, probe.subjectId, toolName);
  if (hit !== undefined) return hit;
  const base = snapshot.byTool.get(toolLower) ?? snapshot.anyTool;
  const matched = base.filter((r) => passesToolChecks(r, probe));
  snapshot.toolMemo.set(probe.backendLower, probe.subjectId, toolName, matched);
  return matched;
}

/** Validates (again, so hand-built objects are safe) and compiles. Throws PolicyError. */
export function compilePolicy(input: Policy, options: CompileOptions = {}): CompiledPolicy {
  const policy = validatePolicy(input);
  const rules = policy.rules.map((rule, i) => compileRule(rule, i, options));
  const byKind: Record<ResourceType, CompiledRule[]> = { tool: [], resource: [], prompt: [], server: [] };
  for (const r of rules) {
    if (r.inert) continue;
    for (const kind of ruleKinds(r.rule.conditions)) byKind[kind].push(r);
  }

  const anyTool: CompiledRule[] = [];
  const indexed = new Map<string, CompiledRule[]>();
  for (const r of byKind.tool) {
    const names = literalToolNames(r.rule.conditions.tool_name);
    if (names === null) {
      anyTool.push(r);
      continue;
    }
    for (const name of new Set(names)) {
      const list = indexed.get(name);
      if (list === undefined) indexed.set(name, [r]);
      else list.push(r);
    }
  }
  const byTool = new Map<string, readonly CompiledRule[]>();
  for (const [name, own] of indexed) {
    const merged = [...own, ...anyTool].sort((a, b) => a.index - b.index);
    byTool.set(name, merged);
  }

  // Immutable by type (readonly) rather than Object.freeze: JSC moves frozen arrays to a slow
  // storage mode, which made evaluation several times slower.
  return {
    version: options.version ?? defaultVersion(policy),
    policy,
    combining: policy.combining,
    rules,
    byKind,
    byTool,
    anyTool,
    namelessTool: byKind.tool.filter((r) => r.rule.conditions.tool_name === undefined),
    toolMemo: new ToolMemo(),
  };
}
