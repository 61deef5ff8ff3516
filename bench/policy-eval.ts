#!/usr/bin/env bun
// Policy evaluation micro-benchmark: policies of 10, 100 and 1,000 realistic rules, a mix of
// tool calls (one path, several paths, none) and resource reads, each evaluation timed on its
// own with Bun.nanoseconds. The baseline is the same timing loop around a trivial function, so
// the figures can be quoted as ratios. Prints one JSON line.

import {
  type CompiledPolicy,
  type DecisionContext,
  type Rule,
  buildDecisionContext,
  compilePolicy,
  evaluate,
  validatePolicy,
} from "../lib/policy/index.ts";

const EVALUATIONS = 200_000;
const WARMUP = 50_000;
const CONTEXTS = 2_000;

// Deterministic PRNG (mulberry32) so every run measures the same workload.
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BASE_TOOLS = [
  "read_file",
  "read_multiple_files",
  "write_file",
  "edit_file",
  "create_directory",
  "list_directory",
  "move_file",
  "search_files",
  "get_file_info",
  "bash",
  "run_command",
  "fetch_url",
  "query_db",
  "delete_file",
  "get_secret",
];
const VERBS = ["get", "list", "create", "update", "delete", "search", "read", "write"];
const NOUNS = ["issue", "branch", "ticket", "record", "page", "message", "invoice", "user", "file", "event"];

function toolPool(size: number, rand: () => number): string[] {
  const tools = [...BASE_TOOLS];
  while (tools.length < size) {
    const verb = VERBS[Math.floor(rand() * VERBS.length)] as string;
    const noun = NOUNS[Math.floor(rand() * NOUNS.length)] as string;
    tools.push(`${verb}_${noun}_${tools.length}`);
  }
  return tools;
}

function pick<T>(items: readonly T[], rand: () => number): T {
  return items[Math.floor(rand() * items.length)] as T;
}

function makeRules(count: number, tools: readonly string[], rand: () => number): Rule[] {
  const rules: Rule[] = [];
  for (let i = 0; i < count; i++) {
    const r = rand();
    const project = `/home/dev/projects/p${i % 40}`;
    let rule: Omit<Rule, "id">;
    if (r < 0.4) {
      rule = {
        effect: rand() < 0.8 ? "allow" : "hitl",
        conditions: { tool_name: pick(tools, rand), path_pattern: [`${project}/**`, `/tmp/work${i % 7}/**`] },
      };
    } else if (r < 0.55) {
      rule = { effect: rand() < 0.7 ? "allow" : "deny", conditions: { tool_name: pick(tools, rand) } };
    } else if (r < 0.65) {
      rule = {
        effect: "allow",
        conditions: { tool_name: `${pick(VERBS, rand)}_*`, backend_id: pick(["fs", "github", "db", "*"], rand) },
      };
    } else if (r < 0.78) {
      rule = { effect: "deny", conditions: { path_pattern: `${project}/secrets${i}/**` } };
    } else if (r < 0.83) {
      rule = { effect: "deny", conditions: { extension: [".pem", ".key", `.k${i}`] } };
    } else if (r < 0.88) {
      rule = { effect: "hitl", conditions: { side_effects: ["code_exec", "sudo_elevate"], subject_id: `user${i % 5}` } };
    } else if (r < 0.93) {
      rule = {
        effect: "deny",
        conditions: { tool_name: pick(["bash", "run_command"], rand), arguments: { "/command": { regex: `.*rm -rf /x${i}.*` } } },
      };
    } else {
      rule = { effect: "allow", conditions: { mcp_method: "resources/read", scheme: pick(["file", "https"], rand), path_pattern: `${project}/docs/**` } };
    }
    rules.push({ id: `r${i}`, ...rule });
  }
  return rules;
}

function makeContexts(tools: readonly string[], rand: () => number): DecisionContext[] {
  const subject = { id: "user1", provenance: "local" };
  const contexts: DecisionContext[] = [];
  for (let i = 0; i < CONTEXTS; i++) {
    const r = rand();
    const project = `/home/dev/projects/p${Math.floor(rand() * 50)}`;
    let method = "tools/call";
    let params: unknown;
    if (r < 0.7) {
      params = { name: pick(tools, rand), arguments: { path: `${project}/src/mod${i}/file${i}.ts` } };
    } else if (r < 0.8) {
      params = { name: "read_multiple_files", arguments: { paths: [`${project}/a.ts`, `${project}/b.md`, "/tmp/work1/c.json"] } };
    } else if (r < 0.88) {
      params = { name: pick(["bash", "run_command"], rand), arguments: { command: `ls -la ${project}` } };
    } else if (r < 0.94) {
      params = { name: "move_file", arguments: { source: `${project}/old${i}.txt`, destination: `${project}/new${i}.txt` } };
    } else {
      method = "resources/read";
      params = { uri: `file://${project}/docs/readme${i}.md` };
    }
    contexts.push(buildDecisionContext({ method, params, subject, backendId: pick(["fs", "github", "db"], rand), proxyName: "bench" }));
  }
  return contexts;
}

interface Percentiles {
  p50_us: number;
  p95_us: number;
  p99_us: number;
  mean_us: number;
}

function percentiles(samples: Float64Array): Percentiles {
  const sorted = Float64Array.from(samples).sort();
  const at = (q: number) => (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number) / 1000;
  let sum = 0;
  for (const s of samples) sum += s;
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return { p50_us: round(at(0.5)), p95_us: round(at(0.95)), p99_us: round(at(0.99)), mean_us: round(sum / samples.length / 1000) };
}

type Evaluator = (snapshot: CompiledPolicy, ctx: DecisionContext) => unknown;

let sink = 0;

function measure(fn: Evaluator, snapshot: CompiledPolicy, contexts: readonly DecisionContext[]): Percentiles {
  const n = contexts.length;
  for (let i = 0; i < WARMUP; i++) if (fn(snapshot, contexts[i % n] as DecisionContext) !== undefined) sink++;
  const samples = new Float64Array(EVALUATIONS);
  for (let i = 0; i < EVALUATIONS; i++) {
    const ctx = contexts[i % n] as DecisionContext;
    const start = Bun.nanoseconds();
    const out = fn(snapshot, ctx);
    samples[i] = Bun.nanoseconds() - start;
    if (out !== undefined) sink++;
  }
  return percentiles(samples);
}

function measureContextBuild(tools: readonly string[]): Percentiles {
  const rand = prng(7);
  const inputs = Array.from({ length: CONTEXTS }, (_, i) => ({
    method: "tools/call",
    params: { name: pick(tools, rand), arguments: { path: `/home/dev/projects/p${i % 50}/src/../lib/file${i}.ts` } },
    subject: { id: "user1", provenance: "local" },
    backendId: "fs",
    proxyName: "bench",
    now: new Date(0),
  }));
  const dummy = compilePolicy(validatePolicy({ rules: [] }));
  let k = 0;
  return measure(() => buildDecisionContext(inputs[k++ % inputs.length] as (typeof inputs)[number]), dummy, makeContexts(tools, rand));
}

const rand = prng(42);
const tools = toolPool(300, rand);
const contexts = makeContexts(tools, rand);
const trivial: Evaluator = (_snapshot, ctx) => ctx.action;

const results: Array<{ rules: number; effects: Record<string, number> } & Percentiles> = [];
let baseline: Percentiles | null = null;
for (const count of [10, 100, 1000]) {
  const policy = validatePolicy({ rules: makeRules(count, tools, prng(count)) });
  const snapshot = compilePolicy(policy, { version: `bench-${count}` });
  if (baseline === null) baseline = measure(trivial, snapshot, contexts);
  const effects: Record<string, number> = { allow: 0, deny: 0, hitl: 0 };
  for (const ctx of contexts) {
    const effect = evaluate(snapshot, ctx).effect;
    effects[effect] = (effects[effect] ?? 0) + 1;
  }
  results.push({ rules: count, ...measure(evaluate, snapshot, contexts), effects });
}

console.log(
  JSON.stringify({
    bench: "policy-eval",
    evaluations_per_size: EVALUATIONS,
    results,
    baseline: { what: "same timing loop around a trivial function", ...baseline },
    context_build: measureContextBuild(tools),
    sink: sink > 0,
  }),
);
