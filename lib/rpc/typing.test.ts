import { expect, test } from "bun:test";
import { join } from "node:path";
import { ManagerLink } from "../gen/mcpacp/link/v1/link_pb.ts";
import { createGrpcClient, RpcCode, RpcError, startGrpcServer, type GrpcServiceImpl } from "./index.ts";
import { makeSocketDir } from "./testdata/temp-dir.ts";

test("an implementation without every rpc is a type error and is refused at start", async () => {
  const temp = makeSocketDir();
  try {
    // @ts-expect-error attach is missing
    const partial: GrpcServiceImpl<typeof ManagerLink> = {
      async health() {
        return {};
      },
    };
    const error = await startGrpcServer({
      socketPath: join(temp.dir, "partial.sock"),
      services: [{ service: ManagerLink, impl: partial }],
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RpcError);
    expect((error as RpcError).code).toBe(RpcCode.INVALID_ARGUMENT);
    expect((error as RpcError).message).toContain('no handler "attach"');
    expect(await Bun.file(join(temp.dir, "partial.sock")).exists()).toBe(false);
  } finally {
    temp.remove();
  }
});

test("client methods are typed from the service descriptor", () => {
  const temp = makeSocketDir();
  const client = createGrpcClient(ManagerLink, join(temp.dir, "typed.sock"));
  try {
    // Type-level checks only; none of these calls is awaited or sent.
    const checks = () => {
      // @ts-expect-error HealthRequest has no field "pid"
      void client.health({ pid: 1 });
      // @ts-expect-error attach is bidi: it takes call options, not a request
      void client.attach({ seq: 1n });
      const call = client.attach();
      // @ts-expect-error AttachRequest.seq is a bigint
      void call.send({ seq: 1 });
    };
    expect(typeof checks).toBe("function");
    expect(typeof client.health).toBe("function");
    expect(typeof client.attach).toBe("function");
  } finally {
    client.close();
    temp.remove();
  }
});
