import type { DescService } from "@bufbuild/protobuf";
import type { GrpcServiceImpl } from "../handler-types.ts";
import { RpcCode, RpcError } from "../rpc-error.ts";

/**
 * Test helper: completes a partial implementation with handlers that fail with UNIMPLEMENTED,
 * so a test can host a large service while exercising only a few of its RPCs.
 */
export function withUnimplemented<S extends DescService>(
  service: S,
  partial: Partial<GrpcServiceImpl<S>>,
): GrpcServiceImpl<S> {
  const given = partial as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const method of service.methods) {
    const fail = () => new RpcError(RpcCode.UNIMPLEMENTED, `${method.name} is not part of this test`);
    out[method.localName] =
      given[method.localName] ??
      (method.methodKind === "unary" || method.methodKind === "client_streaming"
        ? async () => {
            throw fail();
          }
        : async function* () {
            throw fail();
          });
  }
  return out as GrpcServiceImpl<S>;
}
