// Helpers shared by the relay and backend tests.
import type { JSONRPCMessage, RequestId } from "../../services/proxy/relay/jsonrpc.ts";
import type { RelayBackend } from "../../services/proxy/relay/transports.ts";

/** Collects a backend's messages and lets a test await the response to one id. */
export function collect(backend: RelayBackend): {
  messages: JSONRPCMessage[];
  responseTo(id: RequestId, timeoutMs?: number): Promise<JSONRPCMessage>;
} {
  const messages: JSONRPCMessage[] = [];
  const waiters = new Map<RequestId, (m: JSONRPCMessage) => void>();
  backend.onmessage = (m) => {
    messages.push(m);
    if (!("method" in m) && m.id !== undefined) waiters.get(m.id)?.(m);
  };
  return {
    messages,
    responseTo(id, timeoutMs = 10_000) {
      const seen = messages.find((m) => !("method" in m) && m.id === id);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no response to ${String(id)} within ${timeoutMs} ms`)), timeoutMs);
        waiters.set(id, (m) => {
          clearTimeout(timer);
          resolve(m);
        });
      });
    },
  };
}

export const INITIALIZE = {
  jsonrpc: "2.0" as const,
  id: "init",
  method: "initialize",
  params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "backend-test", version: "1" } },
};

export const INITIALIZED = { jsonrpc: "2.0" as const, method: "notifications/initialized" };

export function callTool(id: RequestId, name: string, args: Record<string, unknown> = {}) {
  return { jsonrpc: "2.0" as const, id, method: "tools/call", params: { name, arguments: args } };
}

/** Whether a process with this pid still exists. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A JSON-RPC peer on one end of an in-memory pair: sends raw messages, collects what comes back. */
export class RawPeer {
  readonly received: JSONRPCMessage[] = [];
  private readonly waiters: { match: (m: JSONRPCMessage) => boolean; resolve: (m: JSONRPCMessage) => void }[] = [];

  constructor(readonly transport: { send(m: JSONRPCMessage): Promise<void>; onmessage?: ((m: JSONRPCMessage) => void) | undefined; start(): Promise<void> }) {
    transport.onmessage = (m) => {
      this.received.push(m);
      for (const w of [...this.waiters]) {
        if (w.match(m)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(m);
        }
      }
    };
  }

  send(message: JSONRPCMessage): Promise<void> {
    return this.transport.send(message);
  }

  next(match: (m: JSONRPCMessage) => boolean, timeoutMs = 10_000): Promise<JSONRPCMessage> {
    const seen = this.received.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching message within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({
        match,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
      });
    });
  }

  responseTo(id: RequestId, timeoutMs?: number): Promise<JSONRPCMessage> {
    return this.next((m) => !("method" in m) && m.id === id, timeoutMs);
  }
}

/** Reads newline-delimited output of a child process line by line. */
export class LineReader {
  private buffered = "";
  private readonly lines: string[] = [];
  private waiter: (() => void) | null = null;
  private ended = false;
  readonly all: string[] = [];

  constructor(stream: ReadableStream<Uint8Array>) {
    void this.pump(stream);
  }

  private async pump(stream: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    for await (const chunk of stream) {
      this.buffered += decoder.decode(chunk, { stream: true });
      let nl = this.buffered.indexOf("\n");
      while (nl !== -1) {
        const line = this.buffered.slice(0, nl);
        this.lines.push(line);
        this.all.push(line);
        this.buffered = this.buffered.slice(nl + 1);
        nl = this.buffered.indexOf("\n");
      }
      this.waiter?.();
    }
    this.ended = true;
    this.waiter?.();
  }

  async next(timeoutMs = 10_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (this.lines.length === 0) {
      if (this.ended) throw new Error("stream ended");
      if (Date.now() > deadline) throw new Error(`no line within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        this.waiter = resolve;
        setTimeout(resolve, 50);
      });
      this.waiter = null;
    }
    return this.lines.shift() as string;
  }

  /** Everything the stream carried once it has ended (plus a final unterminated line). */
  async rest(): Promise<string[]> {
    while (!this.ended) await Bun.sleep(10);
    if (this.buffered !== "") this.all.push(this.buffered);
    return this.all;
  }
}

/** Polls until a process is gone (a reaped child or an orphan's exit can take a moment). */
export async function waitGone(pid: number, timeoutMs = 5000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await Bun.sleep(20);
  }
  return !isAlive(pid);
}

/** Records every message a connected SDK Client's transport delivers (call after connect()). */
export function tapMessages(transport: { onmessage?: ((m: JSONRPCMessage, extra?: never) => void) | undefined }): JSONRPCMessage[] {
  const seen: JSONRPCMessage[] = [];
  const inner = transport.onmessage;
  transport.onmessage = (m, extra) => {
    seen.push(m);
    inner?.(m, extra);
  };
  return seen;
}

/** The notifications/progress messages among tapped ones, as [progress, total]. */
export function progressOf(messages: JSONRPCMessage[]): [unknown, unknown][] {
  return messages
    .filter((m) => "method" in m && m.method === "notifications/progress")
    .map((m) => {
      const params = ("params" in m ? m.params : undefined) as { progress?: unknown; total?: unknown } | undefined;
      return [params?.progress, params?.total];
    });
}
