#!/usr/bin/env bun
// Proxy overhead: the same SDK client calls tools/call (echo) and tools/list directly against
// the STDIO echo fixture and through the relay process (test/relay/fixtures/run-relay.ts, with
// pass-through hooks), then the same over streamable HTTP. Direct and proxied calls alternate in
// blocks so machine noise hits both alike. Prints one JSON line on stdout; progress on stderr.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { join } from "node:path";

const ROOT = join(import.meta.dir, "..");
const RUN_RELAY = join(ROOT, "test/relay/fixtures/run-relay.ts");
const ECHO = join(ROOT, "test/fixtures/mcp/echo-server.ts");
const HTTP_ECHO = join(ROOT, "test/fixtures/mcp/http-echo-server.ts");
const CALLS = Number(process.env.PROXY_BENCH_CALLS ?? 2000);
const WARMUP = 300;
const BLOCK = 100;

interface Percentiles {
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
}

type Call = (client: Client) => Promise<unknown>;
const CALL_TOOL: Call = (c) => c.callTool({ name: "echo", arguments: { text: "benchmark payload" } });
const LIST_TOOLS: Call = (c) => c.listTools();

function log(message: string): void {
  process.stderr.write(`proxy-overhead: ${message}\n`);
}

function percentiles(samples: number[]): Percentiles {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number): number => round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN);
  return { p50_ms: at(0.5), p95_ms: at(0.95), p99_ms: at(0.99) };
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

async function connect(transport: Transport): Promise<Client> {
  const client = new Client({ name: "proxy-overhead-bench", version: "1" });
  await client.connect(transport);
  return client;
}

async function time(client: Client, call: Call, n: number, into: number[]): Promise<void> {
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    await call(client);
    into.push(performance.now() - start);
  }
}

/** Warms both paths up, then alternates blocks of direct and proxied calls. */
async function compare(direct: Client, proxied: Client, call: Call) {
  await time(direct, call, WARMUP, []);
  await time(proxied, call, WARMUP, []);
  const d: number[] = [];
  const p: number[] = [];
  while (d.length < CALLS) {
    const n = Math.min(BLOCK, CALLS - d.length);
    await time(direct, call, n, d);
    await time(proxied, call, n, p);
  }
  const dp = percentiles(d);
  const pp = percentiles(p);
  return {
    direct: dp,
    proxied: pp,
    overhead_p50_ms: round(pp.p50_ms - dp.p50_ms),
    overhead_p99_ms: round(pp.p99_ms - dp.p99_ms),
    ratio_p50: Math.round((pp.p50_ms / dp.p50_ms) * 100) / 100,
  };
}

async function stdioVariant() {
  log("stdio: starting the echo fixture directly and through the relay");
  const direct = await connect(new StdioClientTransport({ command: process.execPath, args: [ECHO], stderr: "ignore" }));
  const proxied = await connect(
    new StdioClientTransport({ command: process.execPath, args: [RUN_RELAY, "--", process.execPath, ECHO], stderr: "ignore" }),
  );
  try {
    log(`stdio: ${CALLS} × tools/call`);
    const toolsCall = await compare(direct, proxied, CALL_TOOL);
    log(`stdio: ${CALLS} × tools/list`);
    const toolsList = await compare(direct, proxied, LIST_TOOLS);
    return { toolsCall, toolsList };
  } finally {
    await direct.close();
    await proxied.close();
  }
}

async function httpVariant() {
  log("http: starting the streamable-HTTP echo fixture");
  const server = Bun.spawn([process.execPath, HTTP_ECHO], { stdout: "pipe", stderr: "ignore" });
  try {
    const reader = server.stdout.getReader();
    const { value } = await reader.read();
    reader.releaseLock();
    const url = new TextDecoder().decode(value).trim();
    const direct = await connect(new StreamableHTTPClientTransport(new URL(url)));
    const proxied = await connect(
      new StdioClientTransport({ command: process.execPath, args: [RUN_RELAY, `--http=${url}`], stderr: "ignore" }),
    );
    try {
      log(`http: ${CALLS} × tools/call`);
      const toolsCall = await compare(direct, proxied, CALL_TOOL);
      log(`http: ${CALLS} × tools/list`);
      const toolsList = await compare(direct, proxied, LIST_TOOLS);
      return { toolsCall, toolsList };
    } finally {
      await direct.close();
      await proxied.close();
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
    bench: "proxy-overhead",
    transport: "stdio",
    method: "tools/call",
    calls: CALLS,
    ...stdio.toolsCall,
    tools_list: stdio.toolsList,
    http: {
      note: "direct = SDK client over streamable HTTP; proxied = SDK client over stdio to the relay, relay over streamable HTTP",
      tools_call: http.toolsCall,
      tools_list: http.toolsList,
    },
  })}\n`,
);
