import { afterAll, expect, test } from "bun:test";
import { join } from "node:path";
import { ManagerLink } from "../gen/mcpacp/link/v1/link_pb.ts";
import { createGrpcClient, partialServiceBinding, RpcCode, RpcError, startGrpcServer } from "./index.ts";
import { makeSocketDir } from "./testdata/temp-dir.ts";

const temp = makeSocketDir();
afterAll(() => temp.remove());

test("a partial implementation serves its handlers; the others answer UNIMPLEMENTED with their name", async () => {
  const socketPath = join(temp.dir, "partial.sock");
  const server = await startGrpcServer({
    socketPath,
    services: [{ service: ManagerLink, partial: true, impl: { health: () => ({}) } }],
  });
  const client = createGrpcClient(ManagerLink, socketPath);
  try {
    expect(await client.health({})).toBeDefined();
    const call = client.attach();
    const error = await (async () => {
      for await (const _frame of call.responses) {
        // no frame is expected
      }
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RpcError);
    expect((error as RpcError).code).toBe(RpcCode.UNIMPLEMENTED);
    expect((error as RpcError).message).toContain("ManagerLink.Attach is not available in this version");
  } finally {
    client.close();
    await server.close();
  }
});

test("partialServiceBinding builds the same binding", async () => {
  const socketPath = join(temp.dir, "partial2.sock");
  const server = await startGrpcServer({ socketPath, services: [partialServiceBinding(ManagerLink, {})] });
  const client = createGrpcClient(ManagerLink, socketPath);
  try {
    const error = await client.health({}).catch((e: unknown) => e);
    expect((error as RpcError).code).toBe(RpcCode.UNIMPLEMENTED);
    expect((error as RpcError).message).toContain("ManagerLink.Health is not available in this version");
  } finally {
    client.close();
    await server.close();
  }
});
