import type { DescMethod, DescService, Message } from "@bufbuild/protobuf";
import type {
  Metadata,
  ServerDuplexStream,
  ServerReadableStream,
  ServerUnaryCall,
  ServerWritableStream,
  UntypedHandleCall,
  UntypedServiceImplementation,
  sendUnaryData,
} from "@grpc/grpc-js";
import type { Readable, Writable } from "node:stream";
import { ABORTED, abortReason, whenAborted } from "./abort.ts";
import { toServerStatus } from "./grpc-status.ts";
import type { RpcContext } from "./handler-types.ts";
import { metadataToRecord } from "./metadata.ts";
import { RpcCode, RpcError } from "./rpc-error.ts";
import { methodPath, type WireMessage } from "./service-definition.ts";

/** Hooks the server passes down to every call it adapts. */
export interface HandlerEnvironment {
  /** Streaming calls register here so close() can end them instead of waiting for them. */
  readonly activeStreams: Set<AbortController>;
  /** Sees every non-RpcError a handler threw (the peer only gets a generic INTERNAL). */
  readonly onHandlerError: (error: unknown, path: string) => void;
}

interface SurfaceCall {
  readonly cancelled: boolean;
  readonly metadata: Metadata;
  once(event: "cancelled", listener: () => void): unknown;
  removeListener(event: "cancelled", listener: () => void): unknown;
}
type ResponseSink = ServerWritableStream<Message, WireMessage> | ServerDuplexStream<Message, WireMessage>;

type LooseUnary = (request: Message, ctx: RpcContext) => unknown;
type LooseStreamIn = (requests: AsyncIterable<Message>, ctx: RpcContext) => unknown;

interface OpenCall {
  ctx: RpcContext;
  done(): void;
}

function openCall(call: SurfaceCall, path: string, env: HandlerEnvironment, streaming: boolean): OpenCall {
  const controller = new AbortController();
  const onCancel = () => controller.abort(new RpcError(RpcCode.CANCELLED, `the client cancelled ${path}`));
  if (call.cancelled) onCancel();
  else call.once("cancelled", onCancel);
  if (streaming) env.activeStreams.add(controller);
  return {
    ctx: { signal: controller.signal, metadata: metadataToRecord(call.metadata), path },
    done() {
      env.activeStreams.delete(controller);
      call.removeListener("cancelled", onCancel);
    },
  };
}

function report(env: HandlerEnvironment, error: unknown, path: string): void {
  if (!(error instanceof RpcError)) env.onHandlerError(error, path);
}

function isMessageLike(value: unknown): value is WireMessage {
  return typeof value === "object" && value !== null;
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === "object" && value !== null && Symbol.asyncIterator in value;
}

/**
 * The request side of client/bidi streams; a cancelled call surfaces as the abort reason.
 * Event-based on purpose: a Readable's async iterator destroys the duplex when it sees 'error',
 * and 'error' is how a non-OK status is sent (grpc-js then ends the stream and writes trailers in
 * _final). With a read pending, the destroy won that race and the peer never got the status.
 */
async function* readRequests(stream: Readable, signal: AbortSignal): AsyncGenerator<Message> {
  const queue: Message[] = [];
  let ended = false;
  let failure: unknown;
  let wake: (() => void) | undefined;
  const notify = () => wake?.();
  const onData = (message: Message) => {
    queue.push(message);
    if (queue.length >= 16) stream.pause(); // backpressure: let grpc-js stop reading
    notify();
  };
  const onEnd = () => {
    ended = true;
    notify();
  };
  const onError = (error: unknown) => {
    failure ??= error;
    ended = true;
    notify();
  };
  stream.on("data", onData);
  stream.on("end", onEnd);
  stream.on("close", onEnd);
  stream.on("error", onError);
  try {
    for (;;) {
      const next = queue.shift();
      if (next !== undefined) {
        if (stream.isPaused() && queue.length < 8) stream.resume();
        yield next;
        continue;
      }
      if (failure !== undefined) throw signal.aborted ? abortReason(signal) : failure;
      if (ended) break;
      await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
  } finally {
    stream.off("data", onData);
    stream.off("end", onEnd);
    stream.off("close", onEnd);
    stream.off("error", onError);
  }
  // A client cancel (RST_STREAM) also ends the http2 request stream, and grpc-js reports the
  // cancel a few ticks after that end. Wait one macrotask so a cancelled stream is not mistaken
  // for a complete one (verified under Bun; the signal still fires later if the report is slower).
  await new Promise((resolve) => setImmediate(resolve));
  if (signal.aborted) throw abortReason(signal);
}

function waitForDrain(stream: Writable, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const finish = () => {
      stream.removeListener("drain", finish);
      stream.removeListener("close", finish);
      signal.removeEventListener("abort", finish);
      resolve();
    };
    stream.once("drain", finish);
    stream.once("close", finish);
    signal.addEventListener("abort", finish, { once: true });
  });
}

/**
 * Writes a handler's responses with backpressure (waits for 'drain' when write() says so) and
 * ends the call with OK, the handler's error, or the abort reason (cancel, shutdown).
 */
async function pumpResponses(
  call: ResponseSink,
  responses: unknown,
  ctx: RpcContext,
  env: HandlerEnvironment,
): Promise<void> {
  if (!isAsyncIterable(responses)) {
    const error = new Error(`handler for ${ctx.path} did not return an AsyncIterable`);
    report(env, error, ctx.path);
    call.emit("error", toServerStatus(error, ctx.path));
    return;
  }
  const iterator = responses[Symbol.asyncIterator]();
  const aborted = whenAborted(ctx.signal);
  let finished = false;
  try {
    for (;;) {
      const next = iterator.next();
      next.catch(() => {}); // a late rejection after an abort must not go unhandled
      const step = await Promise.race([next, aborted]);
      if (step === ABORTED) break;
      if (step.done) {
        finished = true;
        break;
      }
      if (!isMessageLike(step.value)) throw new Error(`handler for ${ctx.path} yielded a non-message value`);
      if (!call.write(step.value)) await waitForDrain(call, ctx.signal);
      if (ctx.signal.aborted) break;
    }
  } catch (error) {
    finished = true;
    report(env, error, ctx.path);
    call.emit("error", toServerStatus(error, ctx.path));
    return;
  } finally {
    // Stop an unfinished generator so its finally blocks run; it may be stuck, so do not await.
    if (!finished) iterator.return?.()?.then(undefined, () => {});
  }
  if (ctx.signal.aborted) call.emit("error", toServerStatus(abortReason(ctx.signal), ctx.path));
  else call.end();
}

function unaryHandler(method: DescMethod, handler: LooseUnary, env: HandlerEnvironment): UntypedHandleCall {
  const path = methodPath(method);
  return (call: ServerUnaryCall<Message, WireMessage>, callback: sendUnaryData<WireMessage>) => {
    const { ctx, done } = openCall(call, path, env, false);
    Promise.resolve()
      .then(() => handler(call.request, ctx))
      .then((response) => {
        if (!isMessageLike(response)) throw new Error(`handler for ${path} returned no message`);
        done();
        callback(null, response);
      })
      .catch((error: unknown) => {
        done();
        report(env, error, path);
        callback(toServerStatus(error, path));
      });
  };
}

function clientStreamingHandler(method: DescMethod, handler: LooseStreamIn, env: HandlerEnvironment): UntypedHandleCall {
  const path = methodPath(method);
  return (call: ServerReadableStream<Message, WireMessage>, callback: sendUnaryData<WireMessage>) => {
    const { ctx, done } = openCall(call, path, env, true);
    Promise.resolve()
      .then(() => handler(readRequests(call, ctx.signal), ctx))
      .then((response) => {
        if (!isMessageLike(response)) throw new Error(`handler for ${path} returned no message`);
        done();
        callback(null, response);
      })
      .catch((error: unknown) => {
        done();
        report(env, error, path);
        callback(toServerStatus(error, path));
      });
  };
}

function serverStreamingHandler(method: DescMethod, handler: LooseUnary, env: HandlerEnvironment): UntypedHandleCall {
  const path = methodPath(method);
  return (call: ServerWritableStream<Message, WireMessage>) => {
    const { ctx, done } = openCall(call, path, env, true);
    Promise.resolve()
      .then(() => pumpResponses(call, handler(call.request, ctx), ctx, env))
      .catch((error: unknown) => {
        report(env, error, path);
        call.emit("error", toServerStatus(error, path));
      })
      .finally(done);
  };
}

function bidiStreamingHandler(method: DescMethod, handler: LooseStreamIn, env: HandlerEnvironment): UntypedHandleCall {
  const path = methodPath(method);
  return (call: ServerDuplexStream<Message, WireMessage>) => {
    const { ctx, done } = openCall(call, path, env, true);
    Promise.resolve()
      .then(() => pumpResponses(call, handler(readRequests(call, ctx.signal), ctx), ctx, env))
      .catch((error: unknown) => {
        report(env, error, path);
        call.emit("error", toServerStatus(error, path));
      })
      .finally(done);
  };
}

/** The handler of an RPC a partial implementation leaves out: UNIMPLEMENTED, with its name. */
function unavailableHandler(service: DescService, method: DescMethod): LooseUnary & LooseStreamIn {
  const fail = () => new RpcError(RpcCode.UNIMPLEMENTED, `${service.name}.${method.name} is not available in this version`);
  if (method.methodKind === "server_streaming" || method.methodKind === "bidi_streaming") {
    return async function* () {
      throw fail();
    };
  }
  return async () => {
    throw fail();
  };
}

/**
 * Adapts a typed implementation (GrpcServiceImpl) to the callback/stream handlers grpc-js calls.
 * Fails fast when a method has no handler, since the peer would otherwise see UNIMPLEMENTED —
 * unless `partial`, where such methods answer UNIMPLEMENTED with the RPC's name on purpose.
 */
export function grpcServiceImplementation(
  service: DescService,
  impl: object,
  env: HandlerEnvironment,
  partial = false,
): UntypedServiceImplementation {
  const handlers = impl as Record<string, unknown>;
  const out: UntypedServiceImplementation = {};
  for (const method of service.methods) {
    const handler = handlers[method.localName];
    let bound: LooseUnary & LooseStreamIn;
    if (typeof handler === "function") {
      bound = handler.bind(impl) as LooseUnary & LooseStreamIn;
    } else if (partial && handler === undefined) {
      bound = unavailableHandler(service, method);
    } else {
      throw new RpcError(
        RpcCode.INVALID_ARGUMENT,
        `implementation of ${service.typeName} has no handler "${method.localName}" for rpc ${method.name}`,
      );
    }
    switch (method.methodKind) {
      case "unary":
        out[method.localName] = unaryHandler(method, bound, env);
        break;
      case "server_streaming":
        out[method.localName] = serverStreamingHandler(method, bound, env);
        break;
      case "client_streaming":
        out[method.localName] = clientStreamingHandler(method, bound, env);
        break;
      case "bidi_streaming":
        out[method.localName] = bidiStreamingHandler(method, bound, env);
        break;
    }
  }
  return out;
}
