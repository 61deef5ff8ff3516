// Helpers for the end-to-end tests of `mcp-acp start`: a private MCP_ACP_HOME set up with the real
// CLI, proxies and policies written there, and the real proxy started as a subprocess — either
// behind the SDK's Client + StdioClientTransport or with raw pipes.
import { isSocketLive } from "../../lib/rpc/socket-path.ts";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { CreateMessageRequestSchema, ElicitRequestSchema, ListRootsRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_LIMITS, generateProxyId, type ProxyConfig, writeProxyConfig } from "../../lib/config/index.ts";
import { controlSocketPath, proxyBootstrapLogPath, proxyPolicyPath, resolveAppPaths, type AppPaths } from "../../lib/paths/index.ts";
import { CLI_ENTRY, REPO_ROOT, TempHome } from "../helpers/index.ts";
import { LineReader } from "../relay/support.ts";

export const FIXTURES = join(REPO_ROOT, "test/fixtures/mcp");
export const ECHO_SERVER = join(FIXTURES, "echo-server.ts");
export const CRASH_SERVER = join(FIXTURES, "crash-server.ts");
export const EVERYTHING = join(REPO_ROOT, "node_modules/.bin/mcp-server-everything");
export const FILESYSTEM = join(REPO_ROOT, "node_modules/.bin/mcp-server-filesystem");
export const BUF = join(REPO_ROOT, "node_modules/.bin/buf");
export const BUN = process.execPath;

export interface PolicyRuleInput {
  id?: string;
  effect: "allow" | "deny" | "hitl";
  conditions: Record<string, unknown>;
}

export function policyText(rules: PolicyRuleInput[]): string {
  return `${JSON.stringify({ version: "1", default_action: "deny", rules }, null, 2)}\n`;
}

/** A temp MCP_ACP_HOME on which the real `mcp-acp init` ran. */
export class ProxyHome {
  readonly home: TempHome;
  readonly paths: AppPaths;
  private readonly cleanups: (() => Promise<unknown> | unknown)[] = [];

  private constructor(home: TempHome) {
    this.home = home;
    this.paths = resolveAppPaths({ MCP_ACP_HOME: home.dir });
  }

  static async create(): Promise<ProxyHome> {
    // Short prefix: the control socket path must fit in sun_path.
    const home = new TempHome("acp-");
    const init = await home.run(["init"]);
    if (init.exitCode !== 0) throw new Error(`mcp-acp init failed: ${init.stderr}`);
    return new ProxyHome(home);
  }

  get dir(): string {
    return this.home.dir;
  }

  env(): Record<string, string> {
    return this.home.env();
  }

  /** Writes proxies/<name>/config.json for a STDIO backend (the way `proxy add` would). */
  addStdioProxy(name: string, command: string, args: string[], extra: Partial<ProxyConfig> = {}): void {
    writeProxyConfig(this.paths, name, {
      schema_version: 1,
      proxy_id: generateProxyId(name),
      created_at: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
      backend: { server_name: name, transport: "stdio", stdio: { command, args } },
      hitl: { timeout_seconds: 60, default_on_timeout: "deny", approval_ttl_seconds: 600 },
      limits: { ...DEFAULT_LIMITS },
      log_level: "INFO",
      include_payloads: true,
      ...extra,
    });
  }

  addHttpProxy(name: string, url: string): void {
    this.addStdioProxy(name, "unused", [], {
      backend: { server_name: name, transport: "streamablehttp", http: { url, timeout: 5 } },
    });
  }

  writePolicy(name: string, rules: PolicyRuleInput[]): void {
    this.writePolicyText(name, policyText(rules));
  }

  /** Replaces policy.json in place (not atomically), as a plain editor save would. */
  writePolicyText(name: string, text: string): void {
    writeFileSync(proxyPolicyPath(this.paths, name), text, { mode: 0o600 });
  }

  policyPath(name: string): string {
    return proxyPolicyPath(this.paths, name);
  }

  socketPath(name: string): string {
    return controlSocketPath(this.paths, name);
  }

  /** The control socket opens once the MCP handshake is done (it is kept off the client's first
   * round trip), so tests that use it wait until it answers. */
  async waitForControlSocket(name: string): Promise<string> {
    const path = this.socketPath(name);
    await eventually(() => isSocketLive(path, 500), `the control socket of '${name}'`);
    return path;
  }

  bootstrapLines(name: string): Record<string, unknown>[] {
    try {
      return readFileSync(proxyBootstrapLogPath(this.paths, name), "utf8")
        .split("\n")
        .filter((l) => l !== "")
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    } catch {
      return [];
    }
  }

  /** The real CLI, with this home. */
  run(args: string[], stdin?: string) {
    return this.home.run(args, stdin === undefined ? {} : { stdin });
  }

  /** The proxy with raw pipes: for bytes no SDK client would send, and for signals. */
  spawnProxy(name: string, extraArgs: string[] = []): RawProxy {
    const proc = Bun.spawn([BUN, CLI_ENTRY, "start", "--proxy", name, ...extraArgs], {
      cwd: REPO_ROOT,
      env: this.env(),
      stdin: "pipe",
      stdout: "pipe",
      stderr: "pipe",
    });
    const raw = new RawProxy(proc);
    this.cleanups.push(() => raw.kill());
    return raw;
  }

  /** An SDK client talking to the proxy process over its stdio. */
  async connect(name: string): Promise<ProxiedClient> {
    const transport = new StdioClientTransport({
      command: BUN,
      args: [CLI_ENTRY, "start", "--proxy", name],
      env: this.env(),
      cwd: REPO_ROOT,
      stderr: "pipe",
    });
    let stderr = "";
    transport.stderr?.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    const client = newClient();
    this.cleanups.push(() => client.close());
    try {
      await client.connect(transport);
    } catch (error) {
      // The proxy's stderr says why it exited; without it a failure reads "Connection closed".
      await Bun.sleep(100);
      throw new Error(`${error instanceof Error ? error.message : String(error)}\nproxy stderr:\n${stderr}`);
    }
    return { client, transport, stderr: () => stderr };
  }

  /** An SDK client talking to a backend directly (the reference for byte-for-byte checks). */
  async connectDirect(command: string, args: string[]): Promise<Client> {
    const client = newClient();
    await client.connect(new StdioClientTransport({ command, args, stderr: "ignore", cwd: REPO_ROOT }));
    this.cleanups.push(() => client.close());
    return client;
  }

  defer(cleanup: () => Promise<unknown> | unknown): void {
    this.cleanups.push(cleanup);
  }

  async remove(): Promise<void> {
    for (const cleanup of this.cleanups.reverse()) {
      try {
        await cleanup();
      } catch {
        // best effort: the next cleanup still runs
      }
    }
    this.home.remove();
  }
}

export interface ProxiedClient {
  client: Client;
  transport: StdioClientTransport;
  stderr(): string;
}

export function newClient(): Client {
  const client = new Client({ name: "e2e-test", version: "1" }, { capabilities: { sampling: {}, roots: {}, elicitation: {} } });
  client.setRequestHandler(CreateMessageRequestSchema, async () => ({
    role: "assistant",
    model: "test-model",
    content: { type: "text", text: "sampled by the test client" },
  }));
  client.setRequestHandler(ListRootsRequestSchema, async () => ({ roots: [] }));
  client.setRequestHandler(ElicitRequestSchema, async () => ({ action: "decline" }));
  return client;
}

/** A proxy process with raw stdin/stdout/stderr. */
export class RawProxy {
  readonly out: LineReader;
  readonly err: LineReader;

  constructor(readonly proc: Bun.Subprocess<"pipe", "pipe", "pipe">) {
    this.out = new LineReader(proc.stdout);
    this.err = new LineReader(proc.stderr);
  }

  get pid(): number {
    return this.proc.pid;
  }

  async write(text: string): Promise<void> {
    this.proc.stdin.write(text);
    await this.proc.stdin.flush();
  }

  async send(message: unknown): Promise<void> {
    await this.write(`${JSON.stringify(message)}\n`);
  }

  /** The next stdout line, parsed. */
  async next(timeoutMs?: number): Promise<Record<string, unknown>> {
    return JSON.parse(await this.out.next(timeoutMs)) as Record<string, unknown>;
  }

  /** Waits for a stderr line containing `text`; returns it. */
  async waitForStderr(text: string, timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const line = await this.err.next(Math.max(1, deadline - Date.now()));
      if (line.includes(text)) return line;
    }
  }

  async initialize(): Promise<Record<string, unknown>> {
    await this.send(INITIALIZE);
    const reply = await this.next();
    await this.send({ jsonrpc: "2.0", method: "notifications/initialized" });
    return reply;
  }

  closeStdin(): void {
    void this.proc.stdin.end();
  }

  async kill(): Promise<void> {
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill("SIGKILL");
    await this.proc.exited;
  }
}

export const INITIALIZE = {
  jsonrpc: "2.0",
  id: 0,
  method: "initialize",
  params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "raw-e2e", version: "1" } },
};

export function toolCall(id: number | string, name: string, args: Record<string, unknown> = {}) {
  return { jsonrpc: "2.0", id, method: "tools/call", params: { name, arguments: args } };
}

/** Polls `check` until it holds (a process exit, a file write…), failing after timeoutMs. */
export async function eventually(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(25);
  }
}
