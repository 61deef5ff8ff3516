/**
 * Status codes of the RPC layer. The numeric values are the gRPC status codes, so a code
 * survives the wire unchanged in both directions.
 */
export enum RpcCode {
  OK = 0,
  CANCELLED = 1,
  UNKNOWN = 2,
  INVALID_ARGUMENT = 3,
  DEADLINE_EXCEEDED = 4,
  NOT_FOUND = 5,
  ALREADY_EXISTS = 6,
  PERMISSION_DENIED = 7,
  RESOURCE_EXHAUSTED = 8,
  FAILED_PRECONDITION = 9,
  ABORTED = 10,
  OUT_OF_RANGE = 11,
  UNIMPLEMENTED = 12,
  INTERNAL = 13,
  UNAVAILABLE = 14,
  DATA_LOSS = 15,
  UNAUTHENTICATED = 16,
}

export interface RpcErrorOptions {
  cause?: unknown;
  /** Trailing metadata received with (client) or to send with (server) the error status. */
  metadata?: Readonly<Record<string, readonly string[]>>;
}

/**
 * The one error class of lib/rpc. Handlers throw it to choose the gRPC status the peer sees;
 * clients receive every failed call as an RpcError; socket set-up problems use it too.
 */
export class RpcError extends Error {
  override readonly name = "RpcError";
  readonly code: RpcCode;
  readonly metadata: Readonly<Record<string, readonly string[]>>;

  constructor(code: RpcCode, message: string, options: RpcErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.metadata = options.metadata ?? {};
  }

  /** The code's name, e.g. "NOT_FOUND", for logs and CLI output. */
  get codeName(): string {
    return RpcCode[this.code] ?? `CODE_${this.code}`;
  }
}

export function isRpcError(value: unknown): value is RpcError {
  return value instanceof RpcError;
}
