import { Metadata, status as GrpcStatus, type StatusObject } from "@grpc/grpc-js";
import { recordToMetadata, metadataToRecord } from "./metadata.ts";
import { RpcCode, RpcError } from "./rpc-error.ts";

/** Where a client call went, so transport errors can say what failed and where. */
export interface CallSite {
  path: string;
  socketPath: string;
}

/** RpcCode and grpc-js Status share names and numbers; the lookup keeps the types honest. */
export function toGrpcStatusCode(code: RpcCode): GrpcStatus {
  return GrpcStatus[RpcCode[code] as keyof typeof GrpcStatus] ?? GrpcStatus.UNKNOWN;
}

function isKnownCode(code: unknown): code is RpcCode {
  return typeof code === "number" && Number.isInteger(code) && code >= 0 && code <= 16;
}

/**
 * Server side: turns whatever a handler threw into the status sent to the peer. Only RpcError
 * messages cross the wire; anything else becomes INTERNAL with a message that leaks no detail.
 */
export function toServerStatus(error: unknown, path: string): StatusObject {
  if (error instanceof RpcError) {
    const code = error.code === RpcCode.OK ? RpcCode.UNKNOWN : error.code;
    return { code: toGrpcStatusCode(code), details: error.message, metadata: recordToMetadata(error.metadata) };
  }
  return {
    code: GrpcStatus.INTERNAL,
    details: `internal error while handling ${path}`,
    metadata: recordToMetadata(undefined),
  };
}

interface GrpcErrorShape {
  code?: unknown;
  details?: unknown;
  message?: unknown;
  metadata?: unknown;
}

/**
 * Client side: turns a grpc-js ServiceError (or anything thrown around a call) into an RpcError.
 * Transport-level codes get the method and socket appended, since the bare grpc-js text
 * ("No connection established") does not say which socket was unreachable.
 */
export function fromCallError(error: unknown, site: CallSite): RpcError {
  if (error instanceof RpcError) return error;
  const shape: GrpcErrorShape = typeof error === "object" && error !== null ? error : {};
  const code = isKnownCode(shape.code) ? shape.code : RpcCode.UNKNOWN;
  const details =
    typeof shape.details === "string"
      ? shape.details
      : typeof shape.message === "string"
        ? shape.message
        : String(error);
  const metadata = shape.metadata instanceof Metadata ? metadataToRecord(shape.metadata) : {};
  const message =
    code === RpcCode.UNAVAILABLE || code === RpcCode.DEADLINE_EXCEEDED
      ? `${details} (calling ${site.path} on unix:${site.socketPath}; is the server running?)`
      : details;
  return new RpcError(code, message, { cause: error, metadata });
}
