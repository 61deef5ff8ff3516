import type { Message } from "@bufbuild/protobuf";
import type { ClientDuplexStream, ClientReadableStream } from "@grpc/grpc-js";
import { abortReason } from "./abort.ts";
import { callError, grpcCallOptions, grpcMetadata, isStatusError, startOrThrow, type CallTarget } from "./client-call.ts";
import type { CallOptions } from "./client-types.ts";
import { RpcCode, RpcError } from "./rpc-error.ts";
import type { WireMessage } from "./service-definition.ts";

type ResponseStream = ClientReadableStream<Message> | ClientDuplexStream<WireMessage, Message>;

interface LooseBidiCall {
  send(request: WireMessage): Promise<void>;
  end(): void;
  cancel(): void;
  readonly responses: AsyncIterable<Message>;
}

/**
 * Watches a call for its final status. A permanent 'error' listener matters: once a reader has
 * left the loop, a late status error would otherwise be an unhandled 'error' event.
 */
class CallOutcome {
  failure: unknown;
  finished = false;
  private readonly waiters = new Set<() => void>();

  constructor(call: ResponseStream) {
    call.on("error", (error: unknown) => {
      if (isStatusError(error)) this.failure ??= error;
    });
    call.on("status", () => {
      this.finished = true;
      for (const waiter of this.waiters) waiter();
      this.waiters.clear();
    });
  }

  onFinish(waiter: () => void): () => void {
    this.waiters.add(waiter);
    return () => this.waiters.delete(waiter);
  }
}

/** Reads a response stream; leaving early cancels the call, failures become RpcErrors. */
async function* readResponses(
  target: CallTarget,
  call: ResponseStream,
  outcome: CallOutcome,
  signal: AbortSignal | undefined,
): AsyncGenerator<Message> {
  let completed = false;
  try {
    // Keep the duplex alive when the loop ends: the request side may still be in use, and an
    // early exit is turned into a proper cancel below instead of a silent destroy.
    for await (const message of call.iterator({ destroyOnReturn: false }) as AsyncIterable<Message>) {
      yield message;
    }
    completed = true;
  } catch (error) {
    completed = true;
    throw callError(target, isStatusError(error) ? error : (outcome.failure ?? error), signal);
  } finally {
    if (!completed) call.cancel();
  }
  if (outcome.failure !== undefined) throw callError(target, outcome.failure, signal);
}

export function serverStreamingMethod(target: CallTarget) {
  return (request: WireMessage, options: CallOptions = {}): AsyncIterable<Message> => ({
    [Symbol.asyncIterator]: () => serverStream(target, request, options),
  });
}

async function* serverStream(target: CallTarget, request: WireMessage, options: CallOptions): AsyncGenerator<Message> {
  const { signal } = options;
  if (signal?.aborted) throw abortReason(signal, `call to ${target.path} was cancelled before it started`);
  const call = startOrThrow(target, () =>
    target.client.makeServerStreamRequest(
      target.path,
      target.serialize,
      target.deserialize,
      request,
      grpcMetadata(options),
      grpcCallOptions(options),
    ),
  );
  const outcome = new CallOutcome(call);
  const onAbort = () => call.cancel();
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    yield* readResponses(target, call, outcome, signal);
  } finally {
    signal?.removeEventListener("abort", onAbort);
  }
}

export function bidiStreamingMethod(target: CallTarget) {
  return (options: CallOptions = {}): LooseBidiCall => {
    const { signal } = options;
    const call = startOrThrow(target, () =>
      target.client.makeBidiStreamRequest(
        target.path,
        target.serialize,
        target.deserialize,
        grpcMetadata(options),
        grpcCallOptions(options),
      ),
    );
    const outcome = new CallOutcome(call);
    const onAbort = () => call.cancel();
    if (signal?.aborted) call.cancel();
    else signal?.addEventListener("abort", onAbort, { once: true });
    outcome.onFinish(() => signal?.removeEventListener("abort", onAbort));

    let ended = false;
    const finishedError = () =>
      outcome.failure !== undefined
        ? callError(target, outcome.failure, signal)
        : new RpcError(RpcCode.FAILED_PRECONDITION, `cannot send on ${target.path}: the call has already finished`);

    return {
      send(request) {
        if (ended) {
          return Promise.reject(new RpcError(RpcCode.FAILED_PRECONDITION, `cannot send on ${target.path} after end()`));
        }
        if (outcome.finished) return Promise.reject(finishedError());
        return new Promise<void>((resolve, reject) => {
          const stopWaiting = outcome.onFinish(() => reject(finishedError()));
          call.write(request, (error: Error | null | undefined) => {
            stopWaiting();
            if (error) reject(outcome.finished ? finishedError() : callError(target, error, signal));
            else resolve();
          });
        });
      },
      end() {
        if (ended || outcome.finished) return;
        ended = true;
        call.end();
      },
      cancel() {
        call.cancel();
      },
      responses: { [Symbol.asyncIterator]: () => readResponses(target, call, outcome, signal) },
    };
  };
}
