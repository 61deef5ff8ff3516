import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { ProxyControl } from "../gen/mcpacp/control/v1/control_pb.ts";
import { ManagerLink } from "../gen/mcpacp/link/v1/link_pb.ts";
import { createGrpcClient, RpcCode, RpcError, startGrpcServer, type GrpcServerHandle } from "./index.ts";
import { makeSocketDir } from "./testdata/temp-dir.ts";
import { withUnimplemented } from "./testdata/unimplemented.ts";

const temp = makeSocketDir();
const socketPath = join(temp.dir, "calls.sock");
let server: GrpcServerHandle;
const handlerErrors: string[] = [];
/** Resolvers the WatchApprovals handler calls when its ctx.signal fires, keyed by watcher id. */
const watchAborted = new Map<string, (reason: unknown) => void>();
/** How many WatchApprovals messages the "flood" watcher has produced so far. */
let floodProduced = 0;
/** Called by the "slow" Health handler once its ctx.signal has fired. */
let slowHealthAborted: (() => void) | undefined;
const FLOOD_TOTAL = 600;

function waitForAbort(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener("abort", () => resolve(), { once: true });
  });
}

async function expectRpcError(promise: Promise<unknown>): Promise<RpcError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(RpcError);
    return error as RpcError;
  }
  throw new Error("expected the call to fail");
}

beforeAll(async () => {
  server = await startGrpcServer({
    socketPath,
    onHandlerError: (error) => handlerErrors.push(String(error)),
    services: [
      {
        service: ManagerLink,
        impl: {
          async health(_request, ctx) {
            const mode = ctx.metadata["x-test-mode"]?.[0];
            if (mode === "not-found") throw new RpcError(RpcCode.NOT_FOUND, "no proxy named demo");
            if (mode === "crash") throw new Error("secret internal detail /etc/shadow");
            if (mode === "slow") {
              await waitForAbort(ctx.signal);
              slowHealthAborted?.();
              throw new RpcError(RpcCode.CANCELLED, "gave up");
            }
            return { pid: 4242, version: "1.2.3", uiUrl: "http://127.0.0.1:8765", startedAt: { seconds: 1700000000n } };
          },
          async *attach(requests) {
            for await (const request of requests) {
              if (request.frame.case === "register") {
                yield {
                  frame: {
                    case: "registered",
                    value: { ok: true, attachmentId: `att-${request.frame.value.proxyName}`, managerVersion: "1.2.3" },
                  },
                };
              } else if (request.frame.case === "pong") {
                yield { frame: { case: "heartbeat", value: { id: request.frame.value.heartbeatId + 1n } } };
              } else {
                throw new RpcError(RpcCode.INVALID_ARGUMENT, `unexpected frame ${request.frame.case ?? "none"}`);
              }
            }
          },
        },
      },
      {
        service: ProxyControl,
        impl: withUnimplemented(ProxyControl, {
          async getInfo() {
            return { info: { proxyName: "demo", proxyId: "px_0000abcd:demo", pid: process.pid } };
          },
          async *watchApprovals(request, ctx) {
            const watcher = request.watcher?.client ?? "";
            if (watcher === "flood") {
              const reason = "x".repeat(16 * 1024);
              for (floodProduced = 0; floodProduced < FLOOD_TOTAL; ) {
                floodProduced++;
                yield { update: { case: "created", value: { id: String(floodProduced), reason } } };
              }
              return;
            }
            yield { update: { case: "current", value: { approvals: [{ id: "0000000000000001", toolName: "read_file" }] } } };
            yield { update: { case: "created", value: { id: "0000000000000002", toolName: "write_file" } } };
            if (watcher === "finite") return;
            if (watcher === "fail") throw new RpcError(RpcCode.PERMISSION_DENIED, "watcher is not allowed");
            await waitForAbort(ctx.signal);
            watchAborted.get(watcher)?.(ctx.signal.reason);
          },
        }),
      },
    ],
  });
});

afterAll(async () => {
  await server?.close();
  temp.remove();
});

describe("unary", () => {
  test("returns the handler's response, converted from an init shape", async () => {
    const client = createGrpcClient(ManagerLink, socketPath);
    try {
      const health = await client.health({});
      expect(health.$typeName).toBe("mcpacp.link.v1.HealthResponse");
      expect(health.pid).toBe(4242);
      expect(health.version).toBe("1.2.3");
      expect(health.startedAt?.seconds).toBe(1700000000n);
    } finally {
      client.close();
    }
  });

  test("an RpcError thrown by the handler reaches the client with its code and message", async () => {
    const client = createGrpcClient(ManagerLink, socketPath);
    try {
      const error = await expectRpcError(client.health({}, { metadata: { "x-test-mode": ["not-found"] } }));
      expect(error.code).toBe(RpcCode.NOT_FOUND);
      expect(error.codeName).toBe("NOT_FOUND");
      expect(error.message).toBe("no proxy named demo");
    } finally {
      client.close();
    }
  });

  test("any other error becomes INTERNAL without leaking its message, and is reported", async () => {
    const client = createGrpcClient(ManagerLink, socketPath);
    try {
      const error = await expectRpcError(client.health({}, { metadata: { "x-test-mode": ["crash"] } }));
      expect(error.code).toBe(RpcCode.INTERNAL);
      expect(error.message).not.toContain("shadow");
      expect(error.message).toContain("/mcpacp.link.v1.ManagerLink/Health");
      expect(handlerErrors.some((text) => text.includes("/etc/shadow"))).toBe(true);
    } finally {
      client.close();
    }
  });

  test("aborting the caller's signal cancels the call and fires the handler's signal", async () => {
    const client = createGrpcClient(ManagerLink, socketPath);
    try {
      const controller = new AbortController();
      const handlerSawAbort = new Promise<void>((resolve) => (slowHealthAborted = resolve));
      const call = client.health({}, { signal: controller.signal, metadata: { "x-test-mode": ["slow"] } });
      setTimeout(() => controller.abort(), 50);
      const error = await expectRpcError(call);
      expect(error.code).toBe(RpcCode.CANCELLED);
      await handlerSawAbort; // hangs (test timeout) if the server never fired ctx.signal
    } finally {
      client.close();
    }
  });

  test("timeoutMs gives DEADLINE_EXCEEDED", async () => {
    const client = createGrpcClient(ManagerLink, socketPath);
    try {
      const error = await expectRpcError(client.health({}, { timeoutMs: 50, metadata: { "x-test-mode": ["slow"] } }));
      expect(error.code).toBe(RpcCode.DEADLINE_EXCEEDED);
      expect(error.message).toContain(socketPath);
    } finally {
      client.close();
    }
  });

  test("a missing socket gives UNAVAILABLE naming the socket", async () => {
    const missing = join(temp.dir, "missing.sock");
    const client = createGrpcClient(ManagerLink, missing);
    try {
      const error = await expectRpcError(client.health({}));
      expect(error.code).toBe(RpcCode.UNAVAILABLE);
      expect(error.message).toContain(missing);
    } finally {
      client.close();
    }
  });

  test("an unimplemented method answers UNIMPLEMENTED", async () => {
    const client = createGrpcClient(ProxyControl, socketPath);
    try {
      const error = await expectRpcError(client.getStats({}));
      expect(error.code).toBe(RpcCode.UNIMPLEMENTED);
    } finally {
      client.close();
    }
  });
});

describe("server streaming", () => {
  test("delivers every message, then ends", async () => {
    const client = createGrpcClient(ProxyControl, socketPath);
    try {
      const cases: string[] = [];
      for await (const response of client.watchApprovals({ watcher: { client: "finite" } })) {
        cases.push(response.update.case ?? "none");
        if (response.update.case === "current") expect(response.update.value.approvals[0]?.toolName).toBe("read_file");
      }
      expect(cases).toEqual(["current", "created"]);
    } finally {
      client.close();
    }
  });

  test("an RpcError after some messages ends the loop with that error", async () => {
    const client = createGrpcClient(ProxyControl, socketPath);
    try {
      const seen: string[] = [];
      const error = await expectRpcError(
        (async () => {
          for await (const response of client.watchApprovals({ watcher: { client: "fail" } })) {
            seen.push(response.update.case ?? "none");
          }
        })(),
      );
      expect(seen).toEqual(["current", "created"]);
      expect(error.code).toBe(RpcCode.PERMISSION_DENIED);
      expect(error.message).toBe("watcher is not allowed");
    } finally {
      client.close();
    }
  });

  test("breaking out of the loop cancels the call and fires the server's ctx.signal", async () => {
    const client = createGrpcClient(ProxyControl, socketPath);
    try {
      const aborted = new Promise<unknown>((resolve) => watchAborted.set("breaker", resolve));
      for await (const response of client.watchApprovals({ watcher: { client: "breaker" } })) {
        expect(response.update.case).toBe("current");
        break;
      }
      const reason = await aborted;
      expect(reason).toBeInstanceOf(RpcError);
      expect((reason as RpcError).code).toBe(RpcCode.CANCELLED);
    } finally {
      client.close();
    }
  });

  test("a slow reader holds the producer back (write() backpressure), and nothing is lost", async () => {
    const client = createGrpcClient(ProxyControl, socketPath);
    try {
      const iterator = client.watchApprovals({ watcher: { client: "flood" } })[Symbol.asyncIterator]();
      const first = await iterator.next();
      expect(first.done).toBe(false);
      // Let the producer run until it stops making progress: with backpressure it stalls well
      // before the end; without it, it would run through all FLOOD_TOTAL messages (~10 MB).
      let last = -1;
      while (floodProduced !== last) {
        last = floodProduced;
        await Bun.sleep(200);
      }
      expect(floodProduced).toBeLessThan(FLOOD_TOTAL);
      let count = 1;
      for (let step = await iterator.next(); !step.done; step = await iterator.next()) {
        count++;
        if (step.value.update.case === "created") expect(step.value.update.value.id).toBe(String(count));
      }
      expect(count).toBe(FLOOD_TOTAL);
    } finally {
      client.close();
    }
  });
});

describe("bidi streaming", () => {
  test("send/end/responses round trip", async () => {
    const client = createGrpcClient(ManagerLink, socketPath);
    try {
      const call = client.attach();
      await call.send({ seq: 1n, frame: { case: "register", value: { proxyName: "demo", pid: 12 } } });
      await call.send({ seq: 2n, frame: { case: "pong", value: { heartbeatId: 41n } } });
      call.end();
      const frames: string[] = [];
      for await (const response of call.responses) {
        if (response.frame.case === "registered") frames.push(`registered:${response.frame.value.attachmentId}`);
        if (response.frame.case === "heartbeat") frames.push(`heartbeat:${response.frame.value.id}`);
      }
      expect(frames).toEqual(["registered:att-demo", "heartbeat:42"]);
      await expect(call.send({ seq: 3n })).rejects.toBeInstanceOf(RpcError);
    } finally {
      client.close();
    }
  });

  test("a handler error ends responses with that code", async () => {
    const client = createGrpcClient(ManagerLink, socketPath);
    try {
      const call = client.attach();
      await call.send({ seq: 1n });
      const error = await expectRpcError(
        (async () => {
          for await (const _ of call.responses) {
            // no frames expected
          }
        })(),
      );
      expect(error.code).toBe(RpcCode.INVALID_ARGUMENT);
      expect(error.message).toBe("unexpected frame none");
      const sendError = await expectRpcError(call.send({ seq: 2n }));
      expect(sendError.code).toBe(RpcCode.INVALID_ARGUMENT);
    } finally {
      client.close();
    }
  });

  test("cancel() ends responses with CANCELLED", async () => {
    const client = createGrpcClient(ManagerLink, socketPath);
    try {
      const call = client.attach();
      await call.send({ seq: 1n, frame: { case: "register", value: { proxyName: "c" } } });
      const error = await expectRpcError(
        (async () => {
          for await (const _ of call.responses) call.cancel();
        })(),
      );
      expect(error.code).toBe(RpcCode.CANCELLED);
    } finally {
      client.close();
    }
  });
});

describe("shutdown", () => {
  test("close() ends open streams with UNAVAILABLE and removes the socket", async () => {
    const own = join(temp.dir, "shutdown.sock");
    const signals: AbortSignal[] = [];
    const local = await startGrpcServer({
      socketPath: own,
      services: [
        {
          service: ProxyControl,
          impl: withUnimplemented(ProxyControl, {
            async *watchApprovals(_request, ctx) {
              signals.push(ctx.signal);
              yield { update: { case: "current", value: {} } };
              await waitForAbort(ctx.signal);
            },
          }),
        },
      ],
    });
    const client = createGrpcClient(ProxyControl, own);
    try {
      const error = await expectRpcError(
        (async () => {
          for await (const _ of client.watchApprovals({})) await local.close();
        })(),
      );
      expect(error.code).toBe(RpcCode.UNAVAILABLE);
      expect(signals[0]?.aborted).toBe(true);
      expect(await Bun.file(own).exists()).toBe(false);
    } finally {
      client.close();
      await local.close();
    }
  });
});
