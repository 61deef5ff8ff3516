#!/usr/bin/env bun
// Proxy start-up: time from spawning `mcp-acp start --proxy NAME` (exactly what an MCP client
// launches, 100-rule policy, STDIO echo backend) to the answer of the first `initialize`, which
// the client writes at once, as real clients do. The baseline, measured in the same run and
// interleaved, spawns the echo backend directly and times its first `initialize` answer — the
// proxy's figure includes that backend start. Prints one JSON line on stdout.
import { benchRules, createBenchHome, ECHO, logger, median, round, startCommand } from "./_proxy-support.ts";

const RUNS = Number(process.env.PROXY_STARTUP_RUNS ?? 15);
const WARMUP = 2;
const TIMEOUT_MS = 10_000;
const log = logger("proxy-startup");

const INITIALIZE = `${JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "proxy-startup-bench", version: "1" } },
})}\n`;

/** Milliseconds from spawn to a stdout line answering request id 1. */
async function timeToInitialize(cmd: string[], env: Record<string, string>): Promise<number> {
  const started = performance.now();
  const child = Bun.spawn(cmd, { env, stdin: "pipe", stdout: "pipe", stderr: "ignore" });
  const timer = setTimeout(() => child.kill(), TIMEOUT_MS);
  try {
    child.stdin.write(INITIALIZE);
    await child.stdin.flush();
    const reader = child.stdout.getReader();
    const decoder = new TextDecoder();
    let buffered = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`${cmd.join(" ")} closed stdout before answering initialize (exit ${await child.exited})`);
      buffered += decoder.decode(value, { stream: true });
      const answered = buffered.split("\n").some((line) => line.includes('"id":1') && line.includes('"result"'));
      if (answered) break;
    }
    const elapsed = performance.now() - started;
    reader.releaseLock();
    return elapsed;
  } finally {
    clearTimeout(timer);
    await child.stdin.end();
    const exited = await Promise.race([child.exited, Bun.sleep(5000).then(() => null)]);
    if (exited === null) {
      child.kill("SIGKILL");
      await child.exited;
    }
  }
}

function summary(samples: number[]) {
  return {
    median_ms: round(median(samples), 1),
    min_ms: round(Math.min(...samples), 1),
    max_ms: round(Math.max(...samples), 1),
  };
}

const home = createBenchHome("bench", { stdio: { command: process.execPath, args: [ECHO] } }, benchRules(100));
try {
  const launch = startCommand(home);
  const proxyCmd = [launch.command, ...launch.args];
  const backendCmd = [process.execPath, ECHO];
  const proxy: number[] = [];
  const backend: number[] = [];
  for (let i = 0; i < WARMUP + RUNS; i++) {
    const b = await timeToInitialize(backendCmd, home.env);
    const p = await timeToInitialize(proxyCmd, home.env);
    if (i >= WARMUP) {
      backend.push(b);
      proxy.push(p);
    }
  }
  log(`proxy ${proxy.map((x) => x.toFixed(0)).join(" ")} ms; backend ${backend.map((x) => x.toFixed(0)).join(" ")} ms`);
  const p = summary(proxy);
  const b = summary(backend);
  process.stdout.write(
    `${JSON.stringify({
      bench: "proxy-startup",
      what: "spawn → first answered initialize",
      runs: RUNS,
      policy_rules: 100,
      proxy: p,
      baseline_backend_direct: b,
      proxy_minus_backend_median_ms: round(p.median_ms - b.median_ms, 1),
      ratio_median: round(p.median_ms / b.median_ms, 2),
      target_ms: 250,
    })}\n`,
  );
} finally {
  home.remove();
}
