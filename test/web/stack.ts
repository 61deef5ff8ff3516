// The real system behind the dashboard tests: a private MCP_ACP_HOME set up with the real CLI
// (`init`, `proxy add`), a real manager (`mcp-acp manager start --foreground` as a child process)
// and real proxies (`mcp-acp start`) speaking MCP over stdio to this process, with STDIO fixture
// backends. Nothing here is faked: the browser sees what a user would see.
import { existsSync, mkdirSync, realpathSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { DescService } from "@bufbuild/protobuf";
import type { Client } from "@connectrpc/connect";
import { ManagerService } from "../../lib/gen/mcpacp/api/v1/manager_service_pb.ts";
import { ProxyService } from "../../lib/gen/mcpacp/api/v1/proxy_service_pb.ts";
import { ProxyStatus } from "../../lib/gen/mcpacp/common/v1/proxy_pb.ts";
import { loadProxyConfig, writeProxyConfig } from "../../lib/config/index.ts";
import { apiSocketPath } from "../../lib/paths/index.ts";
import { HIGH_LIMITS } from "../audit/support.ts";
import { readRecord } from "../fixtures/mcp/recorder.ts";
import { CLI_ENTRY, REPO_ROOT } from "../helpers/index.ts";
import { freePort, socketClient, until } from "../manager-e2e/support.ts";
import { BUN, ECHO_SERVER, FILESYSTEM, type PolicyRuleInput, ProxyHome, type RawProxy, toolCall } from "../proxy/support.ts";

/** echo: the echo fixture (records every call it receives); files: the real filesystem server. */
export type BackendKind = "echo" | "files";

export interface ProxySpec {
  name: string;
  backend: BackendKind;
  /** hitl.timeout_seconds (5–300); default 60. */
  hitlTimeoutSeconds?: number;
}

// cache_side_effects sits beside conditions, which PolicyRuleInput does not name.
/** One rule per effect, so a test can take each path: allow, deny and ask a human. */
export const ECHO_RULES = [
  { id: "ask-echo", effect: "hitl", conditions: { tool_name: "echo" } },
  { id: "allow-big", effect: "allow", conditions: { tool_name: "big" } },
  { id: "deny-env", effect: "deny", conditions: { tool_name: "env_keys" } },
] as PolicyRuleInput[];

/** read_file asks a human and may be cached (fs_read); listing is allowed; writing is denied. */
export const FILES_RULES = [
  { id: "ask-read", effect: "hitl", conditions: { tool_name: "read_file" }, cache_side_effects: ["fs_read"] },
  { id: "allow-list", effect: "allow", conditions: { tool_name: "list_directory" } },
  { id: "deny-write", effect: "deny", conditions: { tool_name: "write_file" } },
] as PolicyRuleInput[];

export class WebStack {
  readonly home: ProxyHome;
  readonly port: number;
  readonly baseUrl: string;
  /** Folder the files proxies serve (realpath: the filesystem server compares resolved paths). */
  readonly workDir: string;
  readonly specs = new Map<string, ProxySpec>();
  private readonly running = new Map<string, RawProxy>();
  private manager: Bun.Subprocess<"ignore", "ignore", "pipe"> | null = null;
  private managerStderr = "";
  private nextId = 1000;

  private constructor(home: ProxyHome, port: number) {
    this.home = home;
    this.port = port;
    this.baseUrl = `http://127.0.0.1:${port}`;
    this.workDir = join(realpathSync(home.dir), "work");
    mkdirSync(this.workDir, { recursive: true });
  }

  /** A fresh home with `specs` added through `mcp-acp proxy add`; nothing started yet. */
  static async create(specs: readonly ProxySpec[]): Promise<WebStack> {
    const home = await ProxyHome.create();
    const stack = new WebStack(home, await freePort());
    for (const spec of specs) await stack.addProxy(spec);
    return stack;
  }

  get paths() {
    return this.home.paths;
  }

  /** `mcp-acp proxy add` with the spec's backend, then its policy and limits no test reaches. */
  async addProxy(spec: ProxySpec): Promise<void> {
    const [command, args] =
      spec.backend === "echo" ? [BUN, [ECHO_SERVER, `--record=${this.recordPath(spec.name)}`]] : [FILESYSTEM, [this.workDir]];
    const added = await this.home.run(["proxy", "add", "--name", spec.name, "--server-name", spec.name, "--command", command, "--args", args.join(","), "--yes"]);
    if (added.exitCode !== 0) throw new Error(`mcp-acp proxy add ${spec.name} failed (exit ${added.exitCode}): ${added.stderr}`);
    const config = loadProxyConfig(this.paths, spec.name);
    writeProxyConfig(this.paths, spec.name, {
      ...config,
      limits: HIGH_LIMITS,
      hitl: { ...config.hitl, timeout_seconds: spec.hitlTimeoutSeconds ?? 60 },
    });
    this.home.writePolicy(spec.name, spec.backend === "echo" ? ECHO_RULES : FILES_RULES);
    this.specs.set(spec.name, spec);
  }

  /** Where the echo backend of `name` records the calls that reached it. */
  recordPath(name: string): string {
    return join(this.home.dir, `${name}.calls.jsonl`);
  }

  /** The tools/call requests that reached the echo backend of `name`. */
  backendCalls(name: string): Record<string, unknown>[] {
    return readRecord(this.recordPath(name)).filter((r) => typeof r.tool === "string");
  }

  /** Writes a file the files proxies can read. */
  writeWorkFile(relative: string, text: string): string {
    const path = join(this.workDir, relative);
    writeFileSync(path, text);
    return path;
  }

  // ---- manager ------------------------------------------------------------------------------

  async startManager(): Promise<void> {
    if (this.manager !== null) throw new Error("the manager of this stack is already running");
    this.managerStderr = "";
    const proc = Bun.spawn([BUN, CLI_ENTRY, "manager", "start", "--foreground", "--port", String(this.port)], {
      cwd: REPO_ROOT,
      env: this.home.env(),
      stdin: "ignore",
      stdout: "ignore",
      stderr: "pipe",
    });
    this.manager = proc;
    void (async () => {
      for await (const chunk of proc.stderr) this.managerStderr += new TextDecoder().decode(chunk);
    })();
    const socket = apiSocketPath(this.paths);
    try {
      await until(
        async () => proc.exitCode === null && existsSync(socket) && (await this.api(ManagerService).getStatus({}).then(() => true, () => false)),
        "the manager's api.sock",
        15_000,
      );
    } catch (error) {
      throw new Error(`${error instanceof Error ? error.message : String(error)}; manager exit ${proc.exitCode}, stderr:\n${this.managerStderr}`);
    }
  }

  get managerPid(): number {
    if (this.manager === null) throw new Error("the manager is not running");
    return this.manager.pid;
  }

  /** SIGKILL: the manager vanishes the way a crash would make it. */
  async killManager(): Promise<void> {
    const proc = this.manager;
    this.manager = null;
    if (proc === null) return;
    if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGKILL");
    await proc.exited;
  }

  /** What the manager wrote on stderr (for failure messages). */
  get managerLog(): string {
    return this.managerStderr;
  }

  /** A Connect client on the manager's token-less api.sock (the test's own view of the API). */
  api<S extends DescService>(service: S): Client<S> {
    return socketClient(service, apiSocketPath(this.paths));
  }

  /** A fresh single-use `/?code=…` address (what `mcp-acp manager open` prints). */
  async loginUrl(): Promise<string> {
    return (await this.api(ManagerService).issueLoginCode({})).loginUrl;
  }

  // ---- proxies ------------------------------------------------------------------------------

  /** Starts `mcp-acp start --proxy name` with this process as its MCP client; waits until it is attached. */
  async startProxy(name: string): Promise<RawProxy> {
    if (this.running.has(name)) throw new Error(`proxy '${name}' already runs in this stack`);
    const proxy = this.home.spawnProxy(name);
    this.running.set(name, proxy);
    await proxy.initialize();
    await this.waitForStatus(name, ProxyStatus.RUNNING);
    return proxy;
  }

  proxy(name: string): RawProxy {
    const proxy = this.running.get(name);
    if (proxy === undefined) throw new Error(`proxy '${name}' is not running in this stack`);
    return proxy;
  }

  /** SIGKILL of the proxy process (its backend goes with its stdin). */
  async killProxy(name: string): Promise<void> {
    const proxy = this.proxy(name);
    this.running.delete(name);
    await proxy.kill();
  }

  /** Closes the proxy's stdin, as a client that quits does; waits for a clean exit. */
  async stopProxy(name: string): Promise<number> {
    const proxy = this.proxy(name);
    this.running.delete(name);
    proxy.closeStdin();
    const code = await Promise.race([proxy.proc.exited, Bun.sleep(15_000).then(() => null)]);
    if (code === null) {
      await proxy.kill();
      throw new Error(`proxy '${name}' did not exit within 15 s after its stdin closed`);
    }
    return code;
  }

  async waitForStatus(name: string, status: ProxyStatus, timeoutMs = 20_000): Promise<void> {
    await until(
      async () => (await this.api(ProxyService).listProxies({})).proxies.find((p) => p.proxyName === name)?.status === status,
      `proxy '${name}' to be ${ProxyStatus[status]} in the manager`,
      timeoutMs,
    );
  }

  /**
   * Sends tools/call; `reply` resolves with the response of that id. Replies are found among all
   * stdout lines, so several calls may be outstanding at once.
   */
  callTool(name: string, tool: string, args: Record<string, unknown> = {}, timeoutMs = 90_000): { id: number; reply: Promise<Record<string, unknown>> } {
    const proxy = this.proxy(name);
    const id = this.nextId++;
    const reply = (async () => {
      await proxy.send(toolCall(id, tool, args));
      let found: Record<string, unknown> | undefined;
      await until(
        () => {
          for (const line of proxy.out.all) {
            if (!line.includes(`"id":${id}`)) continue;
            const message = JSON.parse(line) as Record<string, unknown>;
            if (message.id === id) found = message;
          }
          return found !== undefined || proxy.proc.exitCode !== null || proxy.proc.signalCode !== null;
        },
        `the reply to tools/call ${tool} (id ${id}) from proxy '${name}'`,
        timeoutMs,
      );
      if (found === undefined) throw new Error(`proxy '${name}' ended (${proxy.proc.exitCode ?? proxy.proc.signalCode}) before answering tools/call ${tool} (id ${id})`);
      return found;
    })();
    // Marked handled: a test that kills the proxy may look at the reply only later.
    reply.catch(() => {});
    return { id, reply };
  }

  async close(): Promise<void> {
    for (const name of [...this.running.keys()]) await this.killProxy(name).catch(() => {});
    await this.killManager();
    await this.home.remove();
  }
}
