#!/usr/bin/env bun
// `bun run check`: the static gate that CI and the before-stop hook run.
// 1. TypeScript types (bun's built-in checker, strict tsconfig)
// 2. buf lint (STANDARD) over proto/
// 3. generated-code drift: lib/gen must equal a fresh `buf generate` of proto/
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";

const root = join(import.meta.dir, "..");
const buf = join(root, "node_modules", ".bin", "buf");

interface StepResult {
  name: string;
  ok: boolean;
  output: string;
}

function run(name: string, cmd: string[]): StepResult {
  return runIn(name, root, cmd);
}

function runIn(name: string, cwd: string, cmd: string[]): StepResult {
  const proc = Bun.spawnSync(cmd, { cwd, stdout: "pipe", stderr: "pipe" });
  const output = `${proc.stdout.toString()}${proc.stderr.toString()}`.trim();
  return { name, ok: proc.exitCode === 0, output };
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const entry of readdirSync(d)) {
      const full = join(d, entry);
      if (statSync(full).isDirectory()) walk(full);
      else out.push(relative(dir, full));
    }
  };
  walk(dir);
  return out.sort();
}

function checkGeneratedDrift(): StepResult {
  const name = "generated code is current (lib/gen vs buf generate)";
  const scratch = mkdtempSync(join(tmpdir(), "mcp-acp-gen-"));
  try {
    const gen = run("buf generate", [buf, "generate", "--output", scratch]);
    if (!gen.ok) return { name, ok: false, output: gen.output };
    const fresh = join(scratch, "lib", "gen");
    const committed = join(root, "lib", "gen");
    const freshFiles = listFiles(fresh);
    let committedFiles: string[] = [];
    try {
      committedFiles = listFiles(committed);
    } catch {
      return { name, ok: false, output: "lib/gen is missing: run 'bun run gen'" };
    }
    const problems: string[] = [];
    const committedSet = new Set(committedFiles);
    const freshSet = new Set(freshFiles);
    for (const f of freshFiles) {
      if (!committedSet.has(f)) problems.push(`missing in lib/gen: ${f}`);
      else if (readFileSync(join(fresh, f), "utf8") !== readFileSync(join(committed, f), "utf8")) {
        problems.push(`out of date: lib/gen/${f}`);
      }
    }
    for (const f of committedFiles) if (!freshSet.has(f)) problems.push(`stale file in lib/gen: ${f}`);
    if (problems.length > 0) problems.push("run 'bun run gen' and commit proto/ and lib/gen/ together");
    return { name, ok: problems.length === 0, output: problems.join("\n") };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

const steps: StepResult[] = [
  run("types (bun check)", [process.execPath, "check", "--no-script", "--no-pretty"]),
  runIn("types of the dashboard (web/tsconfig.json)", join(root, "web"), [process.execPath, "check", "--no-script", "--no-pretty"]),
  run("buf lint", [buf, "lint", "proto"]),
  checkGeneratedDrift(),
];

let failed = 0;
for (const step of steps) {
  process.stderr.write(`${step.ok ? "✓" : "✗"} ${step.name}\n`);
  if (!step.ok) {
    failed++;
    if (step.output) process.stderr.write(`${step.output.replace(/^/gm, "    ")}\n`);
  }
}
process.exit(failed === 0 ? 0 : 1);
