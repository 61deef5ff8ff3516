#!/usr/bin/env bun
// `bun run bench [name…]`: runs every bench/*.ts (or the named ones) in its own process, so one
// benchmark's heap and JIT state cannot skew the next, and prints one JSON document with all results.
// Each benchmark prints exactly one JSON line on stdout (its result); anything else goes to stderr.
import { readdirSync } from "node:fs";
import { basename, join } from "node:path";

const dir = import.meta.dir;
const wanted = new Set(process.argv.slice(2));
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".ts") && f !== "run.ts" && !f.endsWith(".test.ts") && !f.startsWith("_"))
  .filter((f) => wanted.size === 0 || wanted.has(basename(f, ".ts")))
  .sort();

if (files.length === 0) {
  process.stderr.write(`No benchmarks matched ${[...wanted].join(", ")} in ${dir}\n`);
  process.exit(2);
}

interface BenchOutcome {
  file: string;
  ok: boolean;
  result?: unknown;
  error?: string;
}

const outcomes: BenchOutcome[] = [];
for (const file of files) {
  process.stderr.write(`bench: ${file}\n`);
  const env = { ...process.env, MCP_ACP_BENCH: "1" };
  const proc = Bun.spawnSync([process.execPath, join(dir, file)], { env, stdout: "pipe", stderr: "inherit" });
  const lines = proc.stdout.toString().trim().split("\n").filter((l) => l.trim() !== "");
  const last = lines.at(-1);
  if (proc.exitCode !== 0 || last === undefined) {
    outcomes.push({ file, ok: false, error: `exited with code ${proc.exitCode}` });
    continue;
  }
  try {
    outcomes.push({ file, ok: true, result: JSON.parse(last) });
  } catch {
    outcomes.push({ file, ok: false, error: `last stdout line is not JSON: ${last.slice(0, 200)}` });
  }
}

const summary = {
  host: { bun: Bun.version, platform: process.platform, arch: process.arch },
  time: new Date().toISOString(),
  benchmarks: outcomes,
};
process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
process.exit(outcomes.every((o) => o.ok) ? 0 : 1);
