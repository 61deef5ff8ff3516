// Shared by the benchmarks that run the real `mcp-acp start` (proxy-enforced, proxy-startup,
// proxy-memory): a throwaway MCP_ACP_HOME with one proxy and a realistic policy, the command an
// MCP client would launch, timing and percentile helpers. Not a benchmark itself (the leading
// underscore keeps bench/run.ts from running it).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import {
  DEFAULT_LIMITS,
  defaultManagerConfig,
  generateProxyId,
  type LimitsConfig,
  type BackendConfig,
  writeFileAtomic,
  writeManagerConfig,
  writeProxyConfig,
} from "../lib/config/index.ts";
import { proxyPolicyPath, resolveAppPaths } from "../lib/paths/index.ts";
import { formatPolicyDocument, type Rule, validatePolicy } from "../lib/policy/index.ts";

export const ROOT = join(import.meta.dir, "..");
export const CLI = join(ROOT, "cli", "main.ts");
export const ECHO = join(ROOT, "test/fixtures/mcp/echo-server.ts");
export const HTTP_ECHO = join(ROOT, "test/fixtures/mcp/http-echo-server.ts");
/** backend.server_name of the bench proxy: what backend_id conditions see. */
export const BENCH_SERVER = "echo";

export function logger(bench: string): (message: string) => void {
  return (message) => process.stderr.write(`${bench}: ${message}\n`);
}

// ---------------------------------------------------------------------------------------------
// Policy

// Deterministic PRNG (mulberry32) so every run measures the same policy.
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

const TOOLS = ["read_file", "write_file", "edit_file", "list_directory", "search_files", "move_file", "bash", "run_command", "fetch_url", "query_db", "get_secret", "create_issue", "list_branches", "send_email"];

/**
 * `count` rules of the kinds real policies have — per-tool allows and hitl under project paths,
 * secret and key denials, argument regexes on shell tools, wildcard tool names and backends —
 * with the one allow that lets the benchmark's `echo` call through. Several rules are indexed
 * under every tool (wildcards, path-only denials), so the echo call is evaluated against them.
 */
export function benchRules(count: number): Rule[] {
  const rand = prng(count);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
  const rules: Rule[] = [
    { id: "allow-echo", description: "The benchmark's tool", effect: "allow", conditions: { tool_name: "echo", backend_id: BENCH_SERVER } },
  ];
  for (let i = 1; i < count; i++) {
    const project = `/home/dev/projects/p${i % 40}`;
    const r = rand();
    let rule: Omit<Rule, "id">;
    if (r < 0.35) {
      rule = { effect: rand() < 0.8 ? "allow" : "hitl", conditions: { tool_name: pick(TOOLS), path_pattern: [`${project}/**`, `/tmp/work${i % 7}/**`] } };
    } else if (r < 0.5) {
      rule = { effect: "deny", conditions: { path_pattern: `**/secrets${i}/**` } };
    } else if (r < 0.6) {
      rule = { effect: "deny", conditions: { extension: [".pem", ".key", `.k${i}`] } };
    } else if (r < 0.7) {
      rule = { effect: "allow", conditions: { tool_name: `${pick(["get", "list", "read", "search"])}_*`, backend_id: pick(["fs", "github", "*"]) } };
    } else if (r < 0.8) {
      rule = { effect: "deny", conditions: { tool_name: pick(["bash", "run_command", "*"]), arguments: { "/command": { regex: `.*rm -rf /x${i}.*` } } } };
    } else if (r < 0.88) {
      rule = { effect: "hitl", conditions: { side_effects: ["code_exec", "sudo_elevate"], subject_id: `user${i % 5}` } };
    } else if (r < 0.94) {
      rule = { effect: "deny", conditions: { tool_name: "e*", path_pattern: `/etc/private${i}/**` } };
    } else {
      rule = { effect: "allow", conditions: { mcp_method: "resources/read", scheme: pick(["file", "https"]), path_pattern: `${project}/docs/**` } };
    }
    rules.push({ id: `r${i}`, ...rule });
  }
  return rules;
}

// ---------------------------------------------------------------------------------------------
// A throwaway home with one proxy

export interface BenchHome {
  dir: string;
  proxy: string;
  env: Record<string, string>;
  remove(): void;
}

export type BenchBackend = { stdio: { command: string; args: string[] } } | { http: { url: string } };

/** MCP_ACP_HOME in the temp dir with manager.json, proxy `name` in front of `backend`, a policy. */
/** Limits high enough that thousands of back-to-back calls are never refused; the limiters still
 * run on every request, so their cost stays in the figures. */
export const BENCH_LIMITS: LimitsConfig = {
  requests_per_second: 1_000_000,
  burst: 1_000_000,
  tool_calls_per_window: 1_000_000,
  tool_window_seconds: 1,
};

export function createBenchHome(name: string, backend: BenchBackend, rules: Rule[], limits: LimitsConfig = DEFAULT_LIMITS): BenchHome {
  const dir = mkdtempSync(join(tmpdir(), "mcp-acp-bench-"));
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  env.MCP_ACP_HOME = dir;
  const paths = resolveAppPaths({ MCP_ACP_HOME: dir, HOME: process.env.HOME });
  writeManagerConfig(paths, defaultManagerConfig(paths));
  const backendConfig: BackendConfig =
    "stdio" in backend
      ? { server_name: BENCH_SERVER, transport: "stdio", stdio: { ...backend.stdio, attestation: null } }
      : { server_name: BENCH_SERVER, transport: "streamablehttp", http: { url: backend.http.url, timeout: 30, credential_key: null } };
  writeProxyConfig(paths, name, {
    schema_version: 1,
    proxy_id: generateProxyId(BENCH_SERVER),
    created_at: new Date().toISOString(),
    backend: backendConfig,
    hitl: { timeout_seconds: 60, default_on_timeout: "deny", approval_ttl_seconds: 600 },
    limits: { ...limits },
    log_level: "INFO",
    include_payloads: true,
  });
  const document = { version: "1", default_action: "deny", rules };
  validatePolicy(document);
  writeFileAtomic(proxyPolicyPath(paths, name), formatPolicyDocument(document));
  return { dir, proxy: name, env, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** What an MCP client launches (`install mcp-json`). */
export function startCommand(home: BenchHome): { command: string; args: string[] } {
  return { command: process.execPath, args: [CLI, "start", "--proxy", home.proxy] };
}

/** The same proxy without its audit trail (the baseline of the audit's cost; benchmarks only). */
export function startWithoutAuditCommand(home: BenchHome): { command: string; args: string[] } {
  return { command: process.execPath, args: [join(import.meta.dir, "_proxy-without-audit.ts"), home.proxy] };
}

// ---------------------------------------------------------------------------------------------
// Timing

export interface Percentiles {
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
}

export function round(ms: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(ms * f) / f;
}

export function percentiles(samples: readonly number[]): Percentiles {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number): number => round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN);
  return { p50_ms: at(0.5), p95_ms: at(0.95), p99_ms: at(0.99) };
}

export function median(samples: readonly number[]): number {
  return percentiles(samples).p50_ms;
}

export type Call = (client: Client) => Promise<unknown>;

/** A tools/call answered with a denial counts as a failure: the bench must measure forwarding. */
export const CALL_ECHO: Call = async (c) => {
  const result = await c.callTool({ name: "echo", arguments: { text: "benchmark payload" } });
  if (result.isError === true) throw new Error(`echo was refused or failed: ${JSON.stringify(result.content)}`);
  return result;
};
export const LIST_TOOLS: Call = (c) => c.listTools();

export async function timeCalls(client: Client, call: Call, n: number, into: number[]): Promise<void> {
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    await call(client);
    into.push(performance.now() - start);
  }
}
