import { Code, createContextKey, type HandlerContext } from "@connectrpc/connect";
import { apiError } from "./api-error.ts";
import { presentedToken, tokensEqual } from "./token.ts";

/**
 * Set per request by the HTTP layer: the declared body is over the cap. Refusing it inside the
 * gate (instead of at the HTTP layer) encodes RESOURCE_EXHAUSTED the way each protocol expects.
 */
export const oversizeKey = createContextKey<boolean>(false, { description: "request over the size cap" });

export interface RpcGateOptions {
  /** The API token, or undefined on the token-less socket. */
  token: string | undefined;
  /** Require Connect-Protocol-Version on Connect requests (the TCP listener). */
  requireProtocolHeader: boolean;
  maxBytes: number;
  /** Named in the Unauthenticated message as the way round the token. */
  apiSocketPath: string;
}

/**
 * connect-node's requestGate: runs after the request headers arrive and before the body is
 * read, so a refused call costs nothing and never reaches a handler (nor the activity hook).
 * Order: size, HTTP method, protocol header, token.
 */
export function createRpcGate(options: RpcGateOptions): (context: HandlerContext) => void {
  return (context) => {
    if (context.values.get(oversizeKey)) {
      throw apiError(
        Code.ResourceExhausted,
        "REQUEST_TOO_LARGE",
        `The request body is larger than ${options.maxBytes} bytes, the most the manager API accepts.`,
        { details: { limit_bytes: String(options.maxBytes) } },
      );
    }
    if (context.requestMethod !== "POST") {
      // Connect GET would put requests into URLs (history, logs) and make them simple requests.
      throw apiError(
        Code.PermissionDenied,
        "HTTP_METHOD_NOT_ALLOWED",
        `The manager API takes POST only; ${context.requestMethod} is refused.`,
      );
    }
    if (
      options.requireProtocolHeader &&
      context.protocolName === "connect" &&
      context.requestHeader.get("connect-protocol-version") !== "1"
    ) {
      throw apiError(
        Code.PermissionDenied,
        "PROTOCOL_HEADER_REQUIRED",
        "Connect requests need the header 'Connect-Protocol-Version: 1'; Connect clients send it by themselves.",
      );
    }
    if (options.token === undefined) return;
    const presented = presentedToken(context.requestHeader);
    if (presented === undefined) {
      throw apiError(
        Code.Unauthenticated,
        "AUTH_REQUIRED",
        "This call needs the manager's API token: open the dashboard with 'mcp-acp manager open', " +
          `or send 'Authorization: Bearer <token>'; local tools can use the token-less socket ${options.apiSocketPath}.`,
      );
    }
    if (!tokensEqual(presented.value, options.token)) {
      throw apiError(
        Code.Unauthenticated,
        "AUTH_TOKEN_INVALID",
        `The API token in the ${presented.source === "bearer" ? "Authorization header" : "cookie"} is not ` +
          "this manager's (a new one is made at every start); reopen the dashboard with 'mcp-acp manager open'.",
        { details: { source: presented.source } },
      );
    }
  };
}
