// Auto-start of the manager by a proxy (spec manager.md §2, §12), double-checked:
// Health answers → done; else take the auto-start lock, check again (another proxy may have
// started it meanwhile), spawn `<bun> <cli entry> manager run` detached with stdio ignored,
// and poll Health every 0.2 s for up to 5 s. Never throws: a proxy carries on without a manager.
import { spawn } from "node:child_process";
import type { HealthResponse } from "../gen/mcpacp/link/v1/link_pb.ts";
import { ensurePrivateDir, managerSocketPath, type AppPaths } from "../paths/index.ts";
import { describeError } from "./errors.ts";
import { PROBE_TIMEOUT_MS, probeManager } from "./health-probe.ts";
import { acquireSpawnLock } from "./manager-locks.ts";

export const AUTO_START_DEFAULTS = Object.freeze({ waitMs: 5000, pollMs: 200 });

export interface EnsureManagerOptions {
  paths: AppPaths;
  /** Absolute path of the mcp-acp CLI entry (cli/main.ts); the manager runs as `<execPath> <cliEntry> manager run`. */
  cliEntry: string;
  /** Extra arguments after `manager run`. */
  args?: readonly string[];
  /** Default process.execPath (bun). */
  execPath?: string;
  /** Environment of the manager; default this process's. */
  env?: Readonly<Record<string, string | undefined>>;
  /** How long to wait for a spawned manager to answer. Default 5000 ms. */
  waitMs?: number;
  /** Health poll interval. Default 200 ms. */
  pollMs?: number;
}

export type EnsureManagerResult =
  /** A manager was already answering (perhaps started by a racing proxy). */
  | { status: "running"; health: HealthResponse }
  /** This call spawned the manager and it answers. */
  | { status: "started"; health: HealthResponse; spawnedPid: number }
  /** No manager: the caller carries on alone and retries later. */
  | { status: "failed"; reason: string };

interface SpawnedManager {
  pid: number;
  /** Exit code (or signal name) once it exited. */
  exit: string | undefined;
}

function spawnManager(options: EnsureManagerOptions): SpawnedManager {
  const child = spawn(options.execPath ?? process.execPath, [options.cliEntry, "manager", "run", ...(options.args ?? [])], {
    detached: true, // own session: the manager outlives the proxy and its terminal
    stdio: "ignore",
    env: { ...(options.env ?? process.env) },
  });
  const spawned: SpawnedManager = { pid: child.pid ?? 0, exit: undefined };
  child.on("exit", (code, signal) => (spawned.exit = code !== null ? `code ${code}` : `signal ${signal ?? "?"}`));
  child.on("error", (error) => (spawned.exit = `spawn error: ${error.message}`));
  child.unref();
  return spawned;
}

async function waitForManager(socketPath: string, spawned: SpawnedManager, waitMs: number, pollMs: number): Promise<HealthResponse | string> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) return `the manager (pid ${spawned.pid}) did not answer on ${socketPath} within ${waitMs} ms`;
    await Bun.sleep(Math.min(pollMs, remaining));
    const health = await probeManager(socketPath, Math.max(50, Math.min(PROBE_TIMEOUT_MS, deadline - Date.now())));
    if (health !== null) return health;
    if (spawned.exit !== undefined) {
      // It may have lost a race to a manager started by hand; that one counts.
      const other = await probeManager(socketPath);
      return other ?? `the manager exited (${spawned.exit}) before answering; see its log (<log_dir>/mcp-acp/manager/system.jsonl)`;
    }
  }
}

export async function ensureManagerRunning(options: EnsureManagerOptions): Promise<EnsureManagerResult> {
  const socketPath = managerSocketPath(options.paths);
  const waitMs = options.waitMs ?? AUTO_START_DEFAULTS.waitMs;
  const pollMs = options.pollMs ?? AUTO_START_DEFAULTS.pollMs;
  try {
    const first = await probeManager(socketPath);
    if (first !== null) return { status: "running", health: first };

    ensurePrivateDir(options.paths.runtimeDir);
    // Wait a little longer than one auto-start takes, so a racing starter can finish.
    const lock = await acquireSpawnLock(options.paths, waitMs + 2000);
    if (lock === null) {
      const health = await probeManager(socketPath);
      if (health !== null) return { status: "running", health };
      return { status: "failed", reason: "another process has been starting the manager for too long and it does not answer" };
    }
    try {
      const second = await probeManager(socketPath);
      if (second !== null) return { status: "running", health: second };
      const spawned = spawnManager(options);
      if (spawned.pid === 0) return { status: "failed", reason: `cannot spawn ${options.execPath ?? process.execPath} ${options.cliEntry}` };
      const outcome = await waitForManager(socketPath, spawned, waitMs, pollMs);
      if (typeof outcome === "string") return { status: "failed", reason: outcome };
      return outcome.pid === spawned.pid
        ? { status: "started", health: outcome, spawnedPid: spawned.pid }
        : { status: "running", health: outcome };
    } finally {
      lock.release();
    }
  } catch (error) {
    return { status: "failed", reason: `cannot start the manager: ${describeError(error)}` };
  }
}
