import type { Message } from "@bufbuild/protobuf";
import type { ServiceError } from "@grpc/grpc-js";
import { abortReason } from "./abort.ts";
import { callError, grpcCallOptions, grpcMetadata, startOrThrow, type CallTarget } from "./client-call.ts";
import type { CallOptions } from "./client-types.ts";
import { RpcCode, RpcError } from "./rpc-error.ts";
import type { WireMessage } from "./service-definition.ts";

type LooseUnary = (request: WireMessage, options?: CallOptions) => Promise<Message>;
type LooseClientStreaming = (requests: AsyncIterable<WireMessage>, options?: CallOptions) => Promise<Message>;

export function unaryMethod(target: CallTarget): LooseUnary {
  return (request, options = {}) =>
    new Promise((resolve, reject) => {
      const { signal } = options;
      if (signal?.aborted) return reject(abortReason(signal, `call to ${target.path} was cancelled before it started`));
      const onAbort = () => call.cancel();
      const call = startOrThrow(target, () =>
        target.client.makeUnaryRequest(
          target.path,
          target.serialize,
          target.deserialize,
          request,
          grpcMetadata(options),
          grpcCallOptions(options),
          (error: ServiceError | null, response?: Message) => {
            signal?.removeEventListener("abort", onAbort);
            if (error) reject(callError(target, error, signal));
            else if (response) resolve(response);
            else reject(new RpcError(RpcCode.INTERNAL, `${target.path} completed without a response message`));
          },
        ),
      );
      signal?.addEventListener("abort", onAbort, { once: true });
    });
}

export function clientStreamingMethod(target: CallTarget): LooseClientStreaming {
  return (requests, options = {}) =>
    new Promise((resolve, reject) => {
      const { signal } = options;
      if (signal?.aborted) return reject(abortReason(signal, `call to ${target.path} was cancelled before it started`));
      let settled = false;
      const onAbort = () => call.cancel();
      const call = startOrThrow(target, () =>
        target.client.makeClientStreamRequest(
          target.path,
          target.serialize,
          target.deserialize,
          grpcMetadata(options),
          grpcCallOptions(options),
          (error: ServiceError | null, response?: Message) => {
            settled = true;
            signal?.removeEventListener("abort", onAbort);
            if (error) reject(callError(target, error, signal));
            else if (response) resolve(response);
            else reject(new RpcError(RpcCode.INTERNAL, `${target.path} completed without a response message`));
          },
        ),
      );
      call.on("error", () => {}); // the callback above reports it; keep the emitter from throwing
      signal?.addEventListener("abort", onAbort, { once: true });

      const waitWritable = () =>
        new Promise<void>((done) => {
          const finish = () => {
            call.removeListener("drain", finish);
            call.removeListener("close", finish);
            done();
          };
          call.once("drain", finish);
          call.once("close", finish);
        });
      (async () => {
        for await (const request of requests) {
          if (settled) return;
          if (!call.write(request)) await waitWritable();
        }
        if (!settled) call.end();
      })().catch((error: unknown) => {
        signal?.removeEventListener("abort", onAbort);
        settled = true;
        call.cancel();
        const text = error instanceof Error ? error.message : String(error);
        reject(
          error instanceof RpcError
            ? error
            : new RpcError(RpcCode.CANCELLED, `request stream of ${target.path} failed: ${text}`, { cause: error }),
        );
      });
    });
}
