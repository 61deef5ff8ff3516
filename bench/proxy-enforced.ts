#!/usr/bin/env bun
// Proxy overhead through the real `mcp-acp start` with a 100-rule policy: the same SDK client
// calls tools/call (echo) and tools/list directly against the echo fixture and through the proxy
// (full enforcement: policy evaluation, protected-path check, tools/list filter and sanitiser;
// the audit trail: each decision appended and fdatasync'ed before the request is forwarded, each
// operation appended before the answer reaches the client), over a STDIO backend and a
// streamable-HTTP backend. The same proxy without its audit trail runs in the same blocks as the
// baseline of the audit's cost. 2,000 calls per series after warm-up; direct and proxied calls
// alternate in blocks so machine noise hits every series alike. The proxy's config sets limits
// high enough that no call is refused (the limiters still run). Prints one JSON line on stdout.
//   PROXY_BENCH_CALLS=N      calls per series (default 2000)
//   PROXY_BENCH_AUDIT=both|on|off   which proxies to run (default both)
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import {
  type BenchBackend,
  type BenchHome,
  benchRules,
  CALL_ECHO,
  type Call,
  BENCH_LIMITS,
  createBenchHome,
  ECHO,
  HTTP_ECHO,
  LIST_TOOLS,
  logger,
  percentiles,
  type Percentiles,
  round,
  startCommand,
  startWithoutAuditCommand,
  timeCalls,
} from "./_proxy-support.ts";

const CALLS = Number(process.env.PROXY_BENCH_CALLS ?? 2000);
const RULES = 100;
const WARMUP = 300;
const BLOCK = 100;
const log = logger("proxy-enforced");

async function connect(transport: Transport): Promise<Client> {
  const client = new Client({ name: "proxy-enforced-bench", version: "1" });
  await client.connect(transport);
  return client;
}

const AUDIT = process.env.PROXY_BENCH_AUDIT ?? "both";
if (!["both", "on", "off"].includes(AUDIT)) throw new Error(`PROXY_BENCH_AUDIT must be both, on or off, not ${AUDIT}`);

interface Proxied {
  label: "audit_on" | "audit_off";
  client: Client;
}

function overhead(direct: Percentiles, proxied: Percentiles) {
  return {
    proxied,
    overhead_p50_ms: round(proxied.p50_ms - direct.p50_ms),
    overhead_p95_ms: round(proxied.p95_ms - direct.p95_ms),
    overhead_p99_ms: round(proxied.p99_ms - direct.p99_ms),
    ratio_p50: round(proxied.p50_ms / direct.p50_ms, 2),
  };
}

async function compare(direct: Client, proxied: Proxied[], call: Call) {
  await timeCalls(direct, call, WARMUP, []);
  for (const p of proxied) await timeCalls(p.client, call, WARMUP, []);
  const d: number[] = [];
  const samples = new Map<string, number[]>(proxied.map((p) => [p.label, []]));
  while (d.length < CALLS) {
    const n = Math.min(BLOCK, CALLS - d.length);
    await timeCalls(direct, call, n, d);
    for (const p of proxied) await timeCalls(p.client, call, n, samples.get(p.label) ?? []);
  }
  const dp = percentiles(d);
  const result: Record<string, unknown> = { direct: dp };
  const byLabel: Record<string, ReturnType<typeof overhead>> = {};
  for (const p of proxied) {
    byLabel[p.label] = overhead(dp, percentiles(samples.get(p.label) ?? []));
    result[p.label] = byLabel[p.label];
  }
  const on = byLabel.audit_on;
  const off = byLabel.audit_off;
  if (on !== undefined && off !== undefined) {
    result.audit_cost_p50_ms = round(on.proxied.p50_ms - off.proxied.p50_ms);
    result.audit_cost_p99_ms = round(on.proxied.p99_ms - off.proxied.p99_ms);
  }
  return result;
}

/** Runs the series against one backend: `direct` is the client's own connection to it. */
async function variant(label: string, backend: BenchBackend, direct: Client) {
  const homes: BenchHome[] = [];
  const proxied: Proxied[] = [];
  try {
    for (const audit of ["on", "off"] as const) {
      if (AUDIT !== "both" && AUDIT !== audit) continue;
      const home = createBenchHome(`bench-${audit}`, backend, benchRules(RULES), BENCH_LIMITS);
      homes.push(home);
      const launch = audit === "on" ? startCommand(home) : startWithoutAuditCommand(home);
      const client = await connect(new StdioClientTransport({ ...launch, env: home.env, stderr: "ignore" }));
      proxied.push({ label: audit === "on" ? "audit_on" : "audit_off", client });
      const visible = (await client.listTools()).tools.map((t) => t.name);
      log(`${label} (audit ${audit}): proxy lists ${visible.length} tool(s): ${visible.join(", ")}`);
    }
    log(`${label}: ${CALLS} × tools/call per series`);
    const toolsCall = await compare(direct, proxied, CALL_ECHO);
    log(`${label}: ${CALLS} × tools/list per series`);
    const toolsList = await compare(direct, proxied, LIST_TOOLS);
    return { tools_call: toolsCall, tools_list: toolsList };
  } finally {
    for (const p of proxied) await p.client.close();
    for (const home of homes) home.remove();
  }
}

async function stdioVariant() {
  log("stdio: echo fixture directly and through mcp-acp start");
  const direct = await connect(new StdioClientTransport({ command: process.execPath, args: [ECHO], stderr: "ignore" }));
  try {
    return await variant("stdio", { stdio: { command: process.execPath, args: [ECHO] } }, direct);
  } finally {
    await direct.close();
  }
}

async function httpVariant() {
  log("http: streamable-HTTP echo fixture directly and through mcp-acp start");
  const server = Bun.spawn([process.execPath, HTTP_ECHO], { stdout: "pipe", stderr: "ignore" });
  try {
    const reader = server.stdout.getReader();
    const { value } = await reader.read();
    reader.releaseLock();
    const url = new TextDecoder().decode(value).trim();
    const direct = await connect(new StreamableHTTPClientTransport(new URL(url)));
    try {
      return await variant("http", { http: { url } }, direct);
    } finally {
      await direct.close();
    }
  } finally {
    server.kill();
    await server.exited;
  }
}

const stdio = await stdioVariant();
const http = await httpVariant();
process.stdout.write(
  `${JSON.stringify({
    bench: "proxy-enforced",
    proxy: "mcp-acp start (real command, local identity), limits raised in config.json so no call is refused",
    audit: "audit_on: every decision appended and fdatasync'ed before forwarding, operations appended before the answer (group-synced within 10 ms); audit_off: the same proxy without its audit trail; logs in os.tmpdir()",
    policy_rules: RULES,
    calls: CALLS,
    warmup: WARMUP,
    stdio,
    http: {
      note: "direct = SDK client over streamable HTTP; proxied = SDK client over stdio to mcp-acp start, which talks streamable HTTP to the backend",
      ...http,
    },
  })}\n`,
);
