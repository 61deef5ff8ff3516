import { create, type DescService } from "@bufbuild/protobuf";
import type { ConnectRouter } from "@connectrpc/connect";
import {
  ServerReflection,
  ServerReflectionResponseSchema,
  type ServerReflectionRequest,
} from "../../../../lib/gen/grpc/reflection/v1/reflection_pb.ts";
import { answerReflectionRequest } from "./answer.ts";
import { DescriptorIndex } from "./descriptor-index.ts";
import { deriveV1alphaReflection } from "./v1alpha.ts";

export type Routes = (router: ConnectRouter) => void;

/** The services a router serves, in registration order, each once. */
export function registeredServices(router: ConnectRouter): DescService[] {
  const services = new Map<string, DescService>();
  for (const handler of router.handlers) services.set(handler.service.typeName, handler.service);
  return [...services.values()];
}

/**
 * Wraps a routes function so that the router also serves gRPC server reflection (v1 and
 * v1alpha) for everything the routes registered, the reflection services included: `buf curl
 * --list-methods` asks about the reflection service too. Reflection is a bidi stream, so it
 * answers over HTTP/2 only (h2c on the TCP port, and the Unix socket).
 */
export function withReflection(routes: Routes): Routes {
  return (router) => {
    routes(router);
    const alpha = deriveV1alphaReflection();
    const index = new DescriptorIndex([...registeredServices(router), ServerReflection, alpha.service]);

    async function* answerAll(requests: AsyncIterable<ServerReflectionRequest>) {
      for await (const request of requests) {
        yield create(ServerReflectionResponseSchema, answerReflectionRequest(index, request));
      }
    }

    router.service(ServerReflection, { serverReflectionInfo: answerAll });
    router.rpc(alpha.method, async function* (requests) {
      async function* asV1() {
        for await (const request of requests) yield alpha.toV1Request(request);
      }
      for await (const response of answerAll(asV1())) yield alpha.fromV1Response(response);
    });
  };
}
