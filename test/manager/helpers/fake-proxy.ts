// A stand-in proxy for link tests: a real grpc-js Attach stream through lib/rpc's typed client,
// recording every frame the manager sends and (optionally) answering heartbeats.
import type { MessageInitShape } from "@bufbuild/protobuf";
import { generateInstanceId, generateProxyId } from "../../../lib/config/index.ts";
import { ManagerLink, type AttachRequestSchema, type AttachResponse, type RegisterSchema } from "../../../lib/gen/mcpacp/link/v1/link_pb.ts";
import { createGrpcClient, RpcError, type BidiCall, type GrpcClient } from "../../../lib/rpc/index.ts";

type Frame = MessageInitShape<typeof AttachRequestSchema>["frame"];
export type RegisterInit = MessageInitShape<typeof RegisterSchema>;

export function registration(name: string, overrides: Partial<RegisterInit> = {}): RegisterInit {
  const proxyId = overrides.proxyId ?? generateProxyId(`${name} server`);
  return {
    proxyName: name,
    proxyId,
    instanceId: generateInstanceId(proxyId),
    pid: process.pid,
    controlSocket: `/tmp/mcp-acp-test/proxy_${name}.sock`,
    version: "0.1.0-test",
    ...overrides,
  };
}

export class FakeProxy {
  readonly received: AttachResponse[] = [];
  /** Resolves when the stream is over: null for OK, else the status as RpcError. */
  readonly ended: Promise<RpcError | null>;
  autoPong: boolean;
  private seq = 0n;
  private readonly client: GrpcClient<typeof ManagerLink>;
  private readonly call: BidiCall<typeof AttachRequestSchema, (typeof ManagerLink)["method"]["attach"]["output"]>;
  private waiters: (() => void)[] = [];

  constructor(socketPath: string, options: { autoPong?: boolean } = {}) {
    this.autoPong = options.autoPong ?? true;
    this.client = createGrpcClient(ManagerLink, socketPath);
    this.call = this.client.attach();
    this.ended = this.readAll();
  }

  private async readAll(): Promise<RpcError | null> {
    try {
      for await (const frame of this.call.responses) {
        this.received.push(frame);
        if (this.autoPong && frame.frame.case === "heartbeat") {
          this.send({ case: "pong", value: { heartbeatId: frame.frame.value.id } }).catch(() => {});
        }
        this.wake();
      }
      return null;
    } catch (error) {
      return error instanceof RpcError ? error : new RpcError(2, String(error));
    } finally {
      this.wake();
    }
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter();
  }

  /** Sends a frame with the next seq (or the given one). */
  send(frame: Frame, seq?: bigint): Promise<void> {
    this.seq = seq ?? this.seq + 1n;
    return this.call.send({ seq: this.seq, frame });
  }

  register(init: RegisterInit): Promise<void> {
    return this.send({ case: "register", value: init });
  }

  /** Waits (bounded, as a hang guard) until a received frame satisfies `match`; returns it. */
  async waitFor(match: (frame: AttachResponse) => boolean, what: string, timeoutMs = 5000): Promise<AttachResponse> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.find(match);
      if (found !== undefined) return found;
      if (Date.now() >= deadline) throw new Error(`fake proxy: no ${what} within ${timeoutMs} ms; got ${this.received.map((f) => f.frame.case).join(",")}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(1, deadline - Date.now()));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  cases(): (string | undefined)[] {
    return this.received.map((frame) => frame.frame.case);
  }

  /** Half-closes the stream, like a proxy that stops cleanly. */
  end(): void {
    this.call.end();
  }

  cancel(): void {
    this.call.cancel();
  }

  close(): void {
    this.call.cancel();
    this.client.close();
  }
}

/** Resolves to the stream's end status, or throws if it does not end within timeoutMs. */
export async function endOf(proxy: FakeProxy, timeoutMs = 5000): Promise<RpcError | null> {
  const timeout = Bun.sleep(timeoutMs).then(() => {
    throw new Error(`the attach stream did not end within ${timeoutMs} ms`);
  });
  return Promise.race([proxy.ended, timeout]);
}

/** Polls `check` until it is true (hang guard: throws after timeoutMs). */
export async function until(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() >= deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(10);
  }
}
