// A private MCP_ACP_HOME with manager.json, plus helpers to run manager processes in it.
import { join } from "node:path";
import type { Subprocess } from "bun";
import { defaultManagerConfig, writeManagerConfig, type ManagerConfig } from "../../../lib/config/index.ts";
import type { HealthResponse } from "../../../lib/gen/mcpacp/link/v1/link_pb.ts";
import { managerLockPath, managerPidPath, managerSocketPath, resolveAppPaths, type AppPaths } from "../../../lib/paths/index.ts";
import { probeManager } from "../../../lib/manager-client/index.ts";
import { TempHome } from "../../helpers/index.ts";

export const FIXTURES = join(import.meta.dir, "..", "fixtures");
export const MANAGER_CLI = join(FIXTURES, "manager-cli.ts");

export class ManagerHome {
  readonly home = new TempHome("mcp-acp-mgr-");
  readonly paths: AppPaths = resolveAppPaths({ MCP_ACP_HOME: this.home.dir });
  readonly config: ManagerConfig;
  private readonly children: Subprocess[] = [];

  constructor() {
    // An absolute log_dir, so in-process managers never expand "~" to the developer's home.
    this.config = { ...defaultManagerConfig(this.paths, {}), log_dir: this.home.path("logs") };
    writeManagerConfig(this.paths, this.config);
  }

  get socketPath(): string {
    return managerSocketPath(this.paths);
  }
  get pidPath(): string {
    return managerPidPath(this.paths);
  }
  get lockPath(): string {
    return managerLockPath(this.paths);
  }
  get systemLog(): string {
    return join(this.home.path("logs"), "mcp-acp", "manager", "system.jsonl");
  }

  env(extra: Record<string, string | undefined> = {}): Record<string, string> {
    return this.home.env(extra);
  }

  /** `manager run` in a child process (stderr piped, for error messages). */
  spawnManager(timing: Record<string, number> = {}, extraEnv: Record<string, string> = {}): Subprocess<"ignore", "ignore", "pipe"> {
    const child = Bun.spawn([process.execPath, MANAGER_CLI, "manager", "run"], {
      env: this.env({ MCP_ACP_TEST_MANAGER_OPTIONS: JSON.stringify(timing), ...extraEnv }),
      stdin: "ignore",
      stdout: "ignore",
      stderr: "pipe",
    });
    this.children.push(child);
    return child;
  }

  track(child: Subprocess): void {
    this.children.push(child);
  }

  /** Polls Health until it answers (hang guard: throws after timeoutMs). */
  async waitHealthy(timeoutMs = 10_000): Promise<HealthResponse> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const health = await probeManager(this.socketPath, 500);
      if (health !== null) return health;
      if (Date.now() >= deadline) throw new Error(`no manager answered on ${this.socketPath} within ${timeoutMs} ms`);
      await Bun.sleep(50);
    }
  }

  cleanup(): void {
    for (const child of this.children) if (child.exitCode === null) child.kill("SIGKILL");
    this.home.remove();
  }
}

/** Waits for a process to exit (hang guard: throws after timeoutMs). */
export async function exitOf(child: Subprocess, timeoutMs = 10_000): Promise<number> {
  const timeout = Bun.sleep(timeoutMs).then(() => {
    throw new Error(`process ${child.pid} did not exit within ${timeoutMs} ms`);
  });
  return Promise.race([child.exited, timeout]);
}
