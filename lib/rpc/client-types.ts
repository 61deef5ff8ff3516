import type { DescMessage, DescService, MessageInitShape, MessageShape } from "@bufbuild/protobuf";
import type { RpcMetadata } from "./metadata.ts";

export interface CallOptions {
  /** Aborting cancels the call; the call then fails with the signal's RpcError reason or CANCELLED. */
  signal?: AbortSignal;
  /** Deadline relative to the start of the call; on expiry the call fails with DEADLINE_EXCEEDED. */
  timeoutMs?: number;
  /** Wait for the socket to come up instead of failing fast with UNAVAILABLE (pair it with timeoutMs). */
  waitForReady?: boolean;
  /** Request metadata (headers). */
  metadata?: RpcMetadata;
}

/**
 * A running bidirectional stream. Send with send() (resolves once the message is handed to the
 * transport, so awaiting it gives backpressure), half-close with end(), read `responses` once.
 * Leaving the `responses` loop early, cancel(), or the options' signal cancel the call; reading
 * then fails with RpcError CANCELLED. Errors from the server reject both send() and the loop.
 */
export interface BidiCall<I extends DescMessage, O extends DescMessage> {
  send(request: MessageInitShape<I>): Promise<void>;
  end(): void;
  cancel(): void;
  readonly responses: AsyncIterable<MessageShape<O>>;
}

export type UnaryMethod<I extends DescMessage, O extends DescMessage> = (
  request: MessageInitShape<I>,
  options?: CallOptions,
) => Promise<MessageShape<O>>;

/** The call starts when iteration starts; breaking out of the loop cancels it. */
export type ServerStreamingMethod<I extends DescMessage, O extends DescMessage> = (
  request: MessageInitShape<I>,
  options?: CallOptions,
) => AsyncIterable<MessageShape<O>>;

/** Sends every request of the iterable, half-closes, and resolves with the single response. */
export type ClientStreamingMethod<I extends DescMessage, O extends DescMessage> = (
  requests: AsyncIterable<MessageInitShape<I>>,
  options?: CallOptions,
) => Promise<MessageShape<O>>;

/** Starts the call at once. */
export type BidiStreamingMethod<I extends DescMessage, O extends DescMessage> = (options?: CallOptions) => BidiCall<I, O>;

type ClientMethodFor<M> = M extends { methodKind: "unary"; input: infer I extends DescMessage; output: infer O extends DescMessage }
  ? UnaryMethod<I, O>
  : M extends { methodKind: "server_streaming"; input: infer I extends DescMessage; output: infer O extends DescMessage }
    ? ServerStreamingMethod<I, O>
    : M extends { methodKind: "client_streaming"; input: infer I extends DescMessage; output: infer O extends DescMessage }
      ? ClientStreamingMethod<I, O>
      : M extends { methodKind: "bidi_streaming"; input: infer I extends DescMessage; output: infer O extends DescMessage }
        ? BidiStreamingMethod<I, O>
        : never;

/** A typed client: one method per RPC (by localName), plus close() for the channel. */
export type GrpcClient<S extends DescService> = {
  readonly [K in keyof S["method"]]: ClientMethodFor<S["method"][K]>;
} & {
  /** Closes the channel; calls made afterwards fail with UNAVAILABLE. */
  close(): void;
};

export interface GrpcClientOptions {
  /** First reconnect delay after the socket goes away. Default 100 ms (grpc-js default: 1 s). */
  initialReconnectBackoffMs?: number;
  /** Upper bound of the reconnect delay. Default 1000 ms (grpc-js default: 120 s). */
  maxReconnectBackoffMs?: number;
}
