import type { DescMethod, Message } from "@bufbuild/protobuf";
import type { CallOptions as GrpcCallOptions, Client, Metadata } from "@grpc/grpc-js";
import { abortReason } from "./abort.ts";
import type { CallOptions } from "./client-types.ts";
import { fromCallError } from "./grpc-status.ts";
import { recordToMetadata } from "./metadata.ts";
import { RpcCode, RpcError } from "./rpc-error.ts";
import { messageDeserializer, messageSerializer, methodPath, type WireMessage } from "./service-definition.ts";

/** Everything a call needs to know about its method and channel. */
export interface CallTarget {
  readonly client: Client;
  readonly path: string;
  readonly socketPath: string;
  readonly serialize: (value: WireMessage) => Buffer;
  readonly deserialize: (bytes: Buffer) => Message;
}

export function callTarget(client: Client, method: DescMethod, socketPath: string): CallTarget {
  return {
    client,
    path: methodPath(method),
    socketPath,
    serialize: messageSerializer(method.input),
    deserialize: messageDeserializer(method.output),
  };
}

export function grpcMetadata(options: CallOptions): Metadata {
  return recordToMetadata(options.metadata, { waitForReady: options.waitForReady });
}

export function grpcCallOptions(options: CallOptions): GrpcCallOptions {
  return options.timeoutMs === undefined ? {} : { deadline: Date.now() + options.timeoutMs };
}

/** The error a call reports: the caller's own abort wins over the CANCELLED grpc-js reports. */
export function callError(target: CallTarget, error: unknown, signal: AbortSignal | undefined): RpcError {
  if (signal?.aborted) return abortReason(signal, `call to ${target.path} was cancelled by the caller`);
  return fromCallError(error, target);
}

/** grpc-js throws synchronously on a closed channel; make that an ordinary RpcError. */
export function startOrThrow<T>(target: CallTarget, start: () => T): T {
  try {
    return start();
  } catch (error) {
    throw new RpcError(
      RpcCode.UNAVAILABLE,
      `cannot start ${target.path} on unix:${target.socketPath}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}

/** Status errors from grpc-js carry a numeric code; stream-internal errors do not. */
export function isStatusError(error: unknown): boolean {
  return typeof error === "object" && error !== null && "code" in error && typeof error.code === "number";
}
