// The gateway domain's single error class: start-up and option problems. Errors of individual
// API calls are ConnectErrors built with apiError() (api-error.ts), not GatewayErrors.

export enum GatewayErrorCode {
  InvalidOption = "GATEWAY_INVALID_OPTION",
  PortInUse = "GATEWAY_PORT_IN_USE",
  SocketInUse = "GATEWAY_SOCKET_IN_USE",
  BindFailed = "GATEWAY_BIND_FAILED",
}

export class GatewayError extends Error {
  override readonly name = "GatewayError";
  readonly code: GatewayErrorCode;

  constructor(code: GatewayErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}

export function isGatewayError(value: unknown): value is GatewayError {
  return value instanceof GatewayError;
}
