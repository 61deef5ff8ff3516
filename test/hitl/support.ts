// Helpers for the HITL end-to-end tests: a real proxy (raw pipes) whose policy asks a human, the
// real `mcp-acp approvals watch` as the approver (JSON lines, no terminal), the real CLI for
// decisions, and a ProxyControl client on the proxy's socket.
import { ProxyControl } from "../../lib/gen/mcpacp/control/v1/control_pb.ts";
import { createGrpcClient, type GrpcClient } from "../../lib/rpc/index.ts";
import { records } from "../audit/support.ts";
import { CLI_ENTRY, REPO_ROOT } from "../helpers/index.ts";
import { eventually, type ProxyHome, type RawProxy } from "../proxy/support.ts";
import { LineReader } from "../relay/support.ts";

export type ControlClient = GrpcClient<typeof ProxyControl>;

/** A ProxyControl client on the proxy's socket (waits for the socket to answer); closed by the home's cleanup. */
export async function controlClient(home: ProxyHome, name: string): Promise<ControlClient> {
  const client = createGrpcClient(ProxyControl, await home.waitForControlSocket(name));
  home.defer(() => client.close());
  return client;
}

/** `mcp-acp approvals watch --proxy NAME` as a subprocess: one JSON line per change on stdout. */
export class Watcher {
  private readonly out: LineReader;
  private readonly err: LineReader;

  private constructor(
    private readonly proc: Bun.Subprocess<"ignore", "pipe", "pipe">,
    private readonly control: ControlClient,
  ) {
    this.out = new LineReader(proc.stdout);
    this.err = new LineReader(proc.stderr);
  }

  /** Starts the watcher and waits until it is connected (the proxy then counts an approver as present). */
  static async start(home: ProxyHome, name: string): Promise<Watcher> {
    const proc = Bun.spawn([process.execPath, CLI_ENTRY, "approvals", "watch", "--proxy", name], {
      cwd: REPO_ROOT,
      env: home.env(),
      stdin: "ignore",
      stdout: "pipe",
      stderr: "pipe",
    });
    const watcher = new Watcher(proc, await controlClient(home, name));
    home.defer(() => watcher.kill());
    for (;;) {
      const line = await watcher.err.next(15_000);
      if (line === `Watching proxy '${name}' for approvals (Ctrl-C to stop).`) return watcher;
    }
  }

  /** The next JSON line (pending, resolved, expired, cancelled, gone). */
  async next(timeoutMs = 15_000): Promise<Record<string, unknown>> {
    return JSON.parse(await this.out.next(timeoutMs)) as Record<string, unknown>;
  }

  /** The next `pending` line's approval. */
  async nextPending(timeoutMs = 15_000): Promise<PendingJson> {
    const line = await this.next(timeoutMs);
    if (line.event !== "pending") throw new Error(`expected a pending approval, got ${JSON.stringify(line)}`);
    return line.approval as PendingJson;
  }

  /** Ctrl-C: the watcher leaves; returns once the proxy no longer counts an approver as present. */
  async stop(): Promise<number> {
    this.proc.kill("SIGINT");
    const code = await this.proc.exited;
    await eventually(async () => (await this.control.getInfo({})).info?.approverAvailable === false, "the proxy to notice the watcher left");
    return code;
  }

  async kill(): Promise<void> {
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill("SIGKILL");
    await this.proc.exited;
  }
}

export interface PendingJson {
  id: string;
  tool_name: string;
  subject_id: string;
  policy_version: string;
  arguments_digest: string;
  can_cache: boolean;
  [key: string]: unknown;
}

/** The decision records of a proxy, oldest first. */
export function decisions(home: ProxyHome, name: string): Record<string, unknown>[] {
  return records(home, name, "audit/decisions.jsonl");
}

/** The last decision record about request `id`. */
export function decisionFor(home: ProxyHome, name: string, id: number | string): Record<string, unknown> | undefined {
  return decisions(home, name).findLast((r) => r.request_id === String(id));
}

/** The text of a tools/call reply (isError results and successes alike). */
export function replyText(reply: Record<string, unknown>): string {
  const result = reply.result as { content?: { text?: string }[] } | undefined;
  return result?.content?.map((c) => c.text ?? "").join("") ?? "";
}

export function isErrorReply(reply: Record<string, unknown>): boolean {
  return (reply.result as { isError?: boolean } | undefined)?.isError === true;
}

/** Sends a raw JSON-RPC message and returns the next reply (the proxy answers in order here). */
export async function call(proxy: RawProxy, message: unknown, timeoutMs = 15_000): Promise<Record<string, unknown>> {
  await proxy.send(message);
  return proxy.next(timeoutMs);
}

/** Starts the proxy, completes the MCP handshake and waits until its control socket answers. */
export async function startedProxy(home: ProxyHome, name: string): Promise<RawProxy> {
  const proxy = home.spawnProxy(name);
  await proxy.initialize();
  await home.waitForControlSocket(name);
  return proxy;
}
