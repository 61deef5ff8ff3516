import type { DescMessage, DescService, MessageInitShape, MessageShape } from "@bufbuild/protobuf";
import type { RpcMetadata } from "./metadata.ts";

/** What every server handler receives besides the request. */
export interface RpcContext {
  /** Fires when the peer cancels or disconnects, the deadline passes, or the server shuts down. */
  readonly signal: AbortSignal;
  /** Request metadata (headers). */
  readonly metadata: RpcMetadata;
  /** The gRPC path being served, e.g. "/mcpacp.link.v1.ManagerLink/Health". */
  readonly path: string;
}

type Reply<O extends DescMessage> = MessageShape<O> | MessageInitShape<O>;

export type UnaryHandler<I extends DescMessage, O extends DescMessage> = (
  request: MessageShape<I>,
  ctx: RpcContext,
) => Promise<Reply<O>> | Reply<O>;

export type ServerStreamingHandler<I extends DescMessage, O extends DescMessage> = (
  request: MessageShape<I>,
  ctx: RpcContext,
) => AsyncIterable<Reply<O>>;

export type ClientStreamingHandler<I extends DescMessage, O extends DescMessage> = (
  requests: AsyncIterable<MessageShape<I>>,
  ctx: RpcContext,
) => Promise<Reply<O>>;

export type BidiStreamingHandler<I extends DescMessage, O extends DescMessage> = (
  requests: AsyncIterable<MessageShape<I>>,
  ctx: RpcContext,
) => AsyncIterable<Reply<O>>;

type HandlerFor<M> = M extends { methodKind: "unary"; input: infer I extends DescMessage; output: infer O extends DescMessage }
  ? UnaryHandler<I, O>
  : M extends { methodKind: "server_streaming"; input: infer I extends DescMessage; output: infer O extends DescMessage }
    ? ServerStreamingHandler<I, O>
    : M extends { methodKind: "client_streaming"; input: infer I extends DescMessage; output: infer O extends DescMessage }
      ? ClientStreamingHandler<I, O>
      : M extends { methodKind: "bidi_streaming"; input: infer I extends DescMessage; output: infer O extends DescMessage }
        ? BidiStreamingHandler<I, O>
        : never;

/** A complete implementation of a generated service: one handler per RPC, keyed by localName. */
export type GrpcServiceImpl<S extends DescService> = {
  [K in keyof S["method"]]: HandlerFor<S["method"][K]>;
};

/**
 * Some of a service's handlers. Hosted with `partial: true`, every RPC without a handler answers
 * UNIMPLEMENTED "<Service>.<Rpc> is not available in this version", so a server can publish the
 * full contract while only some of its data exists yet.
 */
export type PartialGrpcServiceImpl<S extends DescService> = Partial<GrpcServiceImpl<S>>;

/** One service to host, with its implementation (complete unless `partial` is true). */
export type GrpcServiceBinding<S extends DescService> =
  | { service: S; impl: GrpcServiceImpl<S>; partial?: false }
  | { service: S; impl: PartialGrpcServiceImpl<S>; partial: true };

/** Typed helper to build a binding when the services list is assembled elsewhere. */
export function serviceBinding<S extends DescService>(service: S, impl: GrpcServiceImpl<S>): GrpcServiceBinding<S> {
  return { service, impl };
}

/** Like serviceBinding, for an implementation that covers only some RPCs (the rest: UNIMPLEMENTED). */
export function partialServiceBinding<S extends DescService>(service: S, impl: PartialGrpcServiceImpl<S>): GrpcServiceBinding<S> {
  return { service, impl, partial: true };
}
