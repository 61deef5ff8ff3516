// `manager start` without --foreground: runs `mcp-acp manager run` detached in its own session and
// waits (up to 5 s) for it to answer Health on manager.sock. Its stderr is read only until then,
// so a start-up failure (port in use, not initialized) is shown to the user; afterwards the pipe
// is closed and the manager logs to its own file.
import { spawn } from "node:child_process";
import type { HealthResponse } from "../../../lib/gen/mcpacp/link/v1/link_pb.ts";
import { probeManager } from "../../../lib/manager-client/index.ts";
import { cliCommand } from "./cli-entry.ts";

export const START_WAIT_MS = 5000;
const POLL_MS = 200;
const MAX_STDERR_CHARS = 16_384;

export type BackgroundStart =
  /** The spawned manager answers. */
  | { status: "started"; pid: number; health: HealthResponse }
  /** Another manager answered (it won a race with ours). */
  | { status: "other"; health: HealthResponse }
  /** The spawned process ended before answering. */
  | { status: "exited"; pid: number; exit: string; stderr: string }
  /** Still starting after the wait. */
  | { status: "slow"; pid: number }
  | { status: "spawn_failed"; reason: string };

export async function startInBackground(socketPath: string, port: number | undefined, waitMs = START_WAIT_MS): Promise<BackgroundStart> {
  const [command, ...args] = cliCommand(["manager", "run", ...(port === undefined ? [] : ["--port", String(port)])]);
  if (command === undefined) return { status: "spawn_failed", reason: "no executable" };
  const child = spawn(command, args, { detached: true, stdio: ["ignore", "ignore", "pipe"], env: process.env });
  let stderr = "";
  let exit: string | undefined;
  let spawnError: string | undefined;
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (chunk: string) => {
    if (stderr.length < MAX_STDERR_CHARS) stderr += chunk;
  });
  child.on("exit", (code, signal) => (exit = code !== null ? `exit code ${code}` : `signal ${signal ?? "?"}`));
  child.on("error", (error) => (spawnError = error.message));
  const release = () => {
    child.stderr?.destroy();
    child.unref();
  };

  const pid = child.pid ?? 0;
  const deadline = Date.now() + waitMs;
  try {
    for (;;) {
      if (spawnError !== undefined) return { status: "spawn_failed", reason: spawnError };
      const health = await probeManager(socketPath, Math.max(100, Math.min(1000, deadline - Date.now())));
      if (health !== null) return health.pid === pid ? { status: "started", pid, health } : { status: "other", health };
      if (exit !== undefined) {
        // Let the last stderr bytes arrive before reporting.
        const stream = child.stderr;
        if (stream !== null && !stream.closed) await Promise.race([new Promise((resolve) => stream.once("close", resolve)), Bun.sleep(500)]);
        const other = await probeManager(socketPath);
        return other !== null ? { status: "other", health: other } : { status: "exited", pid, exit, stderr: stderr.trim() };
      }
      if (Date.now() >= deadline) return { status: "slow", pid };
      await Bun.sleep(POLL_MS);
    }
  } finally {
    release();
  }
}
