// Shared by the manager benchmarks (manager-fanout, manager-api): a throwaway MCP_ACP_HOME on
// which the real `mcp-acp init` ran, the real manager as a child process (`mcp-acp manager start
// --foreground`), the API token cookie obtained the way the dashboard gets it, and VmRSS. Not a
// benchmark itself (the leading underscore keeps bench/run.ts from running it).
import { existsSync, readFileSync } from "node:fs";
import type { DescService } from "@bufbuild/protobuf";
import { createClient, type Client, type Interceptor } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { ManagerService } from "../lib/gen/mcpacp/api/v1/manager_service_pb.ts";
import { apiSocketPath } from "../lib/paths/index.ts";
import { CLI_ENTRY, REPO_ROOT } from "../test/helpers/index.ts";
import { freePort, socketClient, until } from "../test/manager-e2e/support.ts";
import { ProxyHome } from "../test/proxy/support.ts";

export { ProxyHome };

/** The real manager daemon, run the way `mcp-acp manager start --foreground` runs it. */
export class ManagerProcess {
  private stderrText = "";

  private constructor(
    readonly home: ProxyHome,
    readonly port: number,
    private readonly proc: Bun.Subprocess<"ignore", "ignore", "pipe">,
  ) {
    void (async () => {
      for await (const chunk of proc.stderr) this.stderrText += new TextDecoder().decode(chunk);
    })();
  }

  /** Starts the manager on a free port and waits until api.sock answers GetStatus. */
  static async start(home: ProxyHome): Promise<ManagerProcess> {
    const port = await freePort();
    const proc = Bun.spawn([process.execPath, CLI_ENTRY, "manager", "start", "--foreground", "--port", String(port)], {
      cwd: REPO_ROOT,
      env: home.env(),
      stdin: "ignore",
      stdout: "ignore",
      stderr: "pipe",
    });
    const manager = new ManagerProcess(home, port, proc);
    const socket = apiSocketPath(home.paths);
    try {
      await until(
        async () => proc.exitCode === null && existsSync(socket) && (await manager.api(ManagerService).getStatus({}).then(() => true, () => false)),
        "the manager's api.sock",
        20_000,
      );
    } catch (error) {
      await manager.stop();
      throw new Error(`${error instanceof Error ? error.message : String(error)}; manager exit ${proc.exitCode}, stderr:\n${manager.stderrText}`);
    }
    return manager;
  }

  get pid(): number {
    return this.proc.pid;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** What the manager wrote on stderr (for failure messages). */
  get stderr(): string {
    return this.stderrText;
  }

  /** A gRPC client on the token-less api.sock. */
  api<S extends DescService>(service: S): Client<S> {
    return socketClient(service, apiSocketPath(this.home.paths));
  }

  /**
   * The API token cookie, obtained as `mcp-acp manager open` and the browser do it: a single-use
   * login code from IssueLoginCode on api.sock, exchanged at `GET /?code=…`.
   */
  async tokenCookie(): Promise<string> {
    const { loginUrl } = await this.api(ManagerService).issueLoginCode({});
    const exchange = await fetch(loginUrl, { redirect: "manual" });
    const cookie = (exchange.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    if (exchange.status !== 303 || !cookie.includes("=")) {
      throw new Error(`exchanging the login code at ${this.baseUrl} gave HTTP ${exchange.status} and no token cookie`);
    }
    return cookie;
  }

  /** VmRSS of the manager process in MiB. */
  rssMiB(): number {
    return rssMiB(this.pid);
  }

  /** SIGTERM (a clean stop), SIGKILL after 5 s. */
  async stop(): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    this.proc.kill("SIGTERM");
    const exited = (await withTimeout(this.proc.exited, 5000)) !== null;
    if (!exited) {
      this.proc.kill("SIGKILL");
      await this.proc.exited;
    }
  }
}

/**
 * A Connect client of the manager's TCP listener, the dashboard's way: Connect protocol (JSON)
 * over HTTP/1.1 with the token cookie. Each client gets its own transport and connections.
 */
export function tcpConnectClient<S extends DescService>(service: S, baseUrl: string, cookie: string): Client<S> {
  const withCookie: Interceptor = (next) => (req) => {
    req.header.set("cookie", cookie);
    return next(req);
  };
  return createClient(service, createConnectTransport({ baseUrl, httpVersion: "1.1", interceptors: [withCookie] }));
}

/** Resident set size of a process from /proc/<pid>/status, in MiB (one decimal). */
export function rssMiB(pid: number): number {
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  if (match?.[1] === undefined) throw new Error(`no VmRSS line in /proc/${pid}/status`);
  return Math.round((Number(match[1]) / 1024) * 10) / 10;
}

/** `promise`'s value, or null after `ms`; the timer is cleared so it never holds the process. */
export async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | null> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
