import type { DescService } from "@bufbuild/protobuf";
import { Server, ServerCredentials } from "@grpc/grpc-js";
import { chmod, lstat, unlink } from "node:fs/promises";
import type { GrpcServiceBinding } from "./handler-types.ts";
import { addReflection } from "./reflection.ts";
import { RpcCode, RpcError } from "./rpc-error.ts";
import { grpcServiceImplementation, type HandlerEnvironment } from "./server-handlers.ts";
import { grpcServiceDefinition } from "./service-definition.ts";
import { prepareSocketPath } from "./socket-path.ts";

export interface StartGrpcServerOptions<T extends readonly DescService[]> {
  /** Where to listen. A stale socket is replaced; a live one makes the start fail (ALREADY_EXISTS). */
  socketPath: string;
  services: { [K in keyof T]: GrpcServiceBinding<T[K]> };
  /** Serve grpc.reflection.v1 and v1alpha for the hosted services. Default true. */
  reflection?: boolean;
  /** How long close() waits for running calls before cutting them off. Default 2000 ms. */
  shutdownTimeoutMs?: number;
  /** How long to wait for an existing socket to answer before calling it stale. Default 1000 ms. */
  liveCheckTimeoutMs?: number;
  /** Receives errors handlers threw that were not RpcErrors. Default: one line on stderr. */
  onHandlerError?: (error: unknown, path: string) => void;
}

export interface GrpcServerHandle {
  /** Absolute path of the bound socket. */
  readonly socketPath: string;
  /** Ends streams, lets unary calls finish (up to shutdownTimeoutMs), then removes the socket. */
  close(): Promise<void>;
}

function logHandlerError(error: unknown, path: string): void {
  const text = error instanceof Error ? error.message : String(error);
  process.stderr.write(`rpc: handler for ${path} failed: ${text}\n`);
}

function bind(server: Server, socketPath: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.bindAsync(`unix://${socketPath}`, ServerCredentials.createInsecure(), (error) => {
      if (!error) return resolve();
      reject(new RpcError(RpcCode.UNAVAILABLE, `cannot listen on ${socketPath}: ${error.message}`, { cause: error }));
    });
  });
}

function shutdown(server: Server, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      server.forceShutdown();
      resolve();
    }, timeoutMs);
    server.tryShutdown(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Removes the socket only if it is still the one this server bound (not a successor's). */
async function unlinkOwnSocket(socketPath: string, inode: number): Promise<void> {
  try {
    const stats = await lstat(socketPath);
    if (stats.isSocket() && stats.ino === inode) await unlink(socketPath);
  } catch {
    // already gone
  }
}

/**
 * Starts a grpc-js server on a Unix socket (0600, parent dir created 0700) hosting the given
 * protobuf-es services, with server reflection unless disabled.
 */
export async function startGrpcServer<const T extends readonly DescService[]>(
  options: StartGrpcServerOptions<T>,
): Promise<GrpcServerHandle> {
  const bindings = options.services as readonly { service: DescService; impl: object; partial?: boolean }[];
  const env: HandlerEnvironment = {
    activeStreams: new Set(),
    onHandlerError: options.onHandlerError ?? logHandlerError,
  };
  const server = new Server();
  const seen = new Set<string>();
  for (const { service, impl, partial } of bindings) {
    if (seen.has(service.typeName)) {
      throw new RpcError(RpcCode.INVALID_ARGUMENT, `service ${service.typeName} is listed twice in startGrpcServer`);
    }
    seen.add(service.typeName);
    server.addService(grpcServiceDefinition(service), grpcServiceImplementation(service, impl, env, partial === true));
  }
  if (options.reflection ?? true) addReflection(server, bindings.map((binding) => binding.service));

  let socketPath: string;
  let inode: number;
  try {
    socketPath = await prepareSocketPath(options.socketPath, options.liveCheckTimeoutMs ?? 1000);
    await bind(server, socketPath);
  } catch (error) {
    server.forceShutdown();
    throw error;
  }
  try {
    await chmod(socketPath, 0o600);
    inode = (await lstat(socketPath)).ino;
  } catch (error) {
    server.forceShutdown();
    await unlink(socketPath).catch(() => {});
    throw new RpcError(RpcCode.INTERNAL, `cannot restrict permissions of ${socketPath}: ${String(error)}`, {
      cause: error,
    });
  }

  let closing: Promise<void> | undefined;
  const close = async () => {
    const reason = new RpcError(RpcCode.UNAVAILABLE, "the server is shutting down");
    for (const controller of env.activeStreams) controller.abort(reason);
    await shutdown(server, options.shutdownTimeoutMs ?? 2000);
    await unlinkOwnSocket(socketPath, inode);
  };
  return {
    socketPath,
    close: () => (closing ??= close()),
  };
}
