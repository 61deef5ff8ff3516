#!/usr/bin/env bun
// Proxy overhead through the real `mcp-acp start` with a 100-rule policy: the same SDK client
// calls tools/call (echo) and tools/list directly against the echo fixture and through the proxy
// (full enforcement: policy evaluation, protected-path check, tools/list filter and sanitiser),
// over a STDIO backend and a streamable-HTTP backend. 2,000 calls per series after warm-up;
// direct and proxied calls alternate in blocks so machine noise hits both alike. The proxy's
// config sets limits high enough that no call is refused (the limiters still run). Prints one
// JSON line on stdout.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import {
  type BenchBackend,
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
  round,
  startCommand,
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

async function compare(direct: Client, proxied: Client, call: Call) {
  await timeCalls(direct, call, WARMUP, []);
  await timeCalls(proxied, call, WARMUP, []);
  const d: number[] = [];
  const p: number[] = [];
  while (d.length < CALLS) {
    const n = Math.min(BLOCK, CALLS - d.length);
    await timeCalls(direct, call, n, d);
    await timeCalls(proxied, call, n, p);
  }
  const dp = percentiles(d);
  const pp = percentiles(p);
  return {
    direct: dp,
    proxied: pp,
    overhead_p50_ms: round(pp.p50_ms - dp.p50_ms),
    overhead_p95_ms: round(pp.p95_ms - dp.p95_ms),
    overhead_p99_ms: round(pp.p99_ms - dp.p99_ms),
    ratio_p50: round(pp.p50_ms / dp.p50_ms, 2),
  };
}

/** Runs both series against one backend: `direct` is the client's own connection to it. */
async function variant(label: string, backend: BenchBackend, direct: Client) {
  const home = createBenchHome("bench", backend, benchRules(RULES), BENCH_LIMITS);
  const launch = startCommand(home);
  const proxied = await connect(new StdioClientTransport({ ...launch, env: home.env, stderr: "ignore" }));
  try {
    const visible = (await proxied.listTools()).tools.map((t) => t.name);
    log(`${label}: proxy lists ${visible.length} tool(s): ${visible.join(", ")}`);
    log(`${label}: ${CALLS} × tools/call`);
    const toolsCall = await compare(direct, proxied, CALL_ECHO);
    log(`${label}: ${CALLS} × tools/list`);
    const toolsList = await compare(direct, proxied, LIST_TOOLS);
    return { tools_call: toolsCall, tools_list: toolsList };
  } finally {
    await proxied.close();
    home.remove();
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
