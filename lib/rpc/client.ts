import type { DescService } from "@bufbuild/protobuf";
import { Client, credentials } from "@grpc/grpc-js";
import { resolve } from "node:path";
import { callTarget } from "./client-call.ts";
import { bidiStreamingMethod, serverStreamingMethod } from "./client-streams.ts";
import type { GrpcClient, GrpcClientOptions } from "./client-types.ts";
import { clientStreamingMethod, unaryMethod } from "./client-unary.ts";
import { RpcCode, RpcError } from "./rpc-error.ts";
import { checkSocketPathLength } from "./socket-path.ts";

/**
 * A typed grpc-js client for a protobuf-es service on a Unix socket. The channel connects lazily
 * and reconnects with a short backoff, so a restarted server is reachable again within about a second.
 */
export function createGrpcClient<S extends DescService>(
  service: S,
  socketPath: string,
  options: GrpcClientOptions = {},
): GrpcClient<S> {
  const absolute = resolve(socketPath);
  checkSocketPathLength(absolute);
  const client = new Client(`unix://${absolute}`, credentials.createInsecure(), {
    "grpc.initial_reconnect_backoff_ms": options.initialReconnectBackoffMs ?? 100,
    "grpc.max_reconnect_backoff_ms": options.maxReconnectBackoffMs ?? 1000,
  });
  const methods: Record<string, unknown> = {
    close: () => client.close(),
  };
  for (const method of service.methods) {
    if (method.localName === "close") {
      throw new RpcError(RpcCode.INVALID_ARGUMENT, `${service.typeName} has an rpc named "close", which clashes with GrpcClient.close()`);
    }
    const target = callTarget(client, method, absolute);
    switch (method.methodKind) {
      case "unary":
        methods[method.localName] = unaryMethod(target);
        break;
      case "server_streaming":
        methods[method.localName] = serverStreamingMethod(target);
        break;
      case "client_streaming":
        methods[method.localName] = clientStreamingMethod(target);
        break;
      case "bidi_streaming":
        methods[method.localName] = bidiStreamingMethod(target);
        break;
    }
  }
  return methods as GrpcClient<S>;
}
