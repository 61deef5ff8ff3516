import { afterAll, beforeAll, expect, test } from "bun:test";
import { join } from "node:path";
import { createGrpcClient, RpcCode, RpcError, startGrpcServer, type GrpcServerHandle } from "./index.ts";
import { SumService } from "./testdata/sum-service.ts";
import { makeSocketDir } from "./testdata/temp-dir.ts";

const temp = makeSocketDir();
const socketPath = join(temp.dir, "sum.sock");
let server: GrpcServerHandle;
let lastSignal: AbortSignal | undefined;
let lastHandlerEnded: Promise<void> = Promise.resolve();

beforeAll(async () => {
  server = await startGrpcServer({
    socketPath,
    services: [
      {
        service: SumService,
        impl: {
          async sum(requests, ctx) {
            lastSignal = ctx.signal;
            let ended!: () => void;
            lastHandlerEnded = new Promise((resolve) => (ended = resolve));
            try {
              let total = 0n;
              for await (const request of requests) {
                if (request.value < 0n) throw new RpcError(RpcCode.OUT_OF_RANGE, `negative value ${request.value}`);
                total += request.value;
              }
              return { value: total };
            } finally {
              ended();
            }
          },
        },
      },
    ],
  });
});

afterAll(async () => {
  await server?.close();
  temp.remove();
});

async function* values(...numbers: bigint[]) {
  for (const value of numbers) yield { value };
}

test("client streaming: every request arrives, one response comes back", async () => {
  const client = createGrpcClient(SumService, socketPath);
  try {
    const response = await client.sum(values(1n, 2n, 3n, 40n));
    expect(response.value).toBe(46n);
    expect((await client.sum(values())).value).toBe(0n);
  } finally {
    client.close();
  }
});

test("client streaming: a handler's RpcError reaches the client", async () => {
  const client = createGrpcClient(SumService, socketPath);
  try {
    const error = await client.sum(values(1n, -5n, 2n)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RpcError);
    expect((error as RpcError).code).toBe(RpcCode.OUT_OF_RANGE);
    expect((error as RpcError).message).toBe("negative value -5");
  } finally {
    client.close();
  }
});

test("client streaming: a failing request iterable cancels the call and the server sees it", async () => {
  const client = createGrpcClient(SumService, socketPath);
  try {
    let sent = false;
    async function* broken() {
      yield { value: 1n };
      sent = true;
      await Bun.sleep(50); // let the first request reach the handler
      throw new Error("source went away");
    }
    const error = await client.sum(broken()).catch((e: unknown) => e);
    expect(sent).toBe(true);
    expect(error).toBeInstanceOf(RpcError);
    expect((error as RpcError).code).toBe(RpcCode.CANCELLED);
    expect((error as RpcError).message).toContain("source went away");
    await lastHandlerEnded;
    expect(lastSignal?.aborted).toBe(true);
  } finally {
    client.close();
  }
});
