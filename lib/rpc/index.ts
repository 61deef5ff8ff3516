export { RpcCode, RpcError, isRpcError, type RpcErrorOptions } from "./rpc-error.ts";
export type { RpcMetadata } from "./metadata.ts";
export {
  grpcServiceDefinition,
  grpcMethodDefinition,
  methodPath,
  messageSerializer,
  messageDeserializer,
  type WireMessage,
} from "./service-definition.ts";
export {
  serviceBinding,
  partialServiceBinding,
  type GrpcServiceImpl,
  type PartialGrpcServiceImpl,
  type GrpcServiceBinding,
  type RpcContext,
  type UnaryHandler,
  type ServerStreamingHandler,
  type ClientStreamingHandler,
  type BidiStreamingHandler,
} from "./handler-types.ts";
export { startGrpcServer, type StartGrpcServerOptions, type GrpcServerHandle } from "./server.ts";
export { addReflection, transitiveFiles } from "./reflection.ts";
export { createGrpcClient } from "./client.ts";
export type {
  GrpcClient,
  GrpcClientOptions,
  CallOptions,
  BidiCall,
  UnaryMethod,
  ServerStreamingMethod,
  ClientStreamingMethod,
  BidiStreamingMethod,
} from "./client-types.ts";
export { prepareSocketPath, isSocketLive, checkSocketPathLength, maxSocketPathBytes } from "./socket-path.ts";
