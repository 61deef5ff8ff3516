#!/usr/bin/env bun
// Proxy memory: resident set size (VmRSS from /proc/<pid>/status) of the `mcp-acp start` process
// (100-rule policy, STDIO echo backend) after 1,000, 5,000 and 10,000 calls — nine tools/call
// (echo) to one tools/list — and the growth between the last two checkpoints. The baseline is
// the echo backend process itself under the same calls, made directly, in the same run. The
// proxy's config raises its limits so no call is refused. Linux only (reads /proc).
// Prints one JSON line on stdout.
import { readFileSync } from "node:fs";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { BENCH_LIMITS, benchRules, CALL_ECHO, createBenchHome, ECHO, LIST_TOOLS, logger, round, startCommand } from "./_proxy-support.ts";

const CHECKPOINTS = [1_000, 5_000, 10_000];
const log = logger("proxy-memory");

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status)?.[1];
  if (kb === undefined) throw new Error(`no VmRSS line in /proc/${pid}/status`);
  return round(Number(kb) / 1024, 1);
}

/** RSS of the process behind `transport` after each checkpoint's number of calls. */
async function measure(label: string, transport: StdioClientTransport): Promise<Record<string, number>> {
  const client = new Client({ name: "proxy-memory-bench", version: "1" });
  await client.connect(transport);
  const pid = transport.pid;
  if (pid === null) throw new Error(`${label}: the transport has no process id`);
  const rss: Record<string, number> = { after_initialize: rssMiB(pid) };
  try {
    let done = 0;
    for (const checkpoint of CHECKPOINTS) {
      for (; done < checkpoint; done++) await (done % 10 === 9 ? LIST_TOOLS : CALL_ECHO)(client);
      rss[`after_${checkpoint}`] = rssMiB(pid);
      log(`${label}: ${checkpoint} calls, RSS ${rss[`after_${checkpoint}`]} MiB`);
    }
  } finally {
    await client.close();
  }
  return rss;
}

if (process.platform !== "linux") throw new Error("proxy-memory reads /proc/<pid>/status and runs on Linux only");

const home = createBenchHome("bench", { stdio: { command: process.execPath, args: [ECHO] } }, benchRules(100), BENCH_LIMITS);
try {
  const launch = startCommand(home);
  const proxy = await measure("proxy", new StdioClientTransport({ ...launch, env: home.env, stderr: "ignore" }));
  const backend = await measure("backend", new StdioClientTransport({ command: process.execPath, args: [ECHO], env: home.env, stderr: "ignore" }));
  const last = `after_${CHECKPOINTS.at(-1)}`;
  const prev = `after_${CHECKPOINTS.at(-2)}`;
  const growth = round((proxy[last] as number) - (proxy[prev] as number), 1);
  process.stdout.write(
    `${JSON.stringify({
      bench: "proxy-memory",
      unit: "MiB (VmRSS)",
      calls: "9 × tools/call echo : 1 × tools/list",
      policy_rules: 100,
      proxy_rss: proxy,
      proxy_growth_5000_to_10000: growth,
      baseline_backend_rss: backend,
      baseline_growth_5000_to_10000: round((backend[last] as number) - (backend[prev] as number), 1),
      ratio_at_10000: round((proxy[last] as number) / (backend[last] as number), 2),
      target: "≤ 80 MiB after 10,000 calls and not growing",
    })}\n`,
  );
} finally {
  home.remove();
}
