import { Code, type ConnectError } from "@connectrpc/connect";
import { hostAllowed, originAllowed, type AllowList } from "./allow-list.ts";
import { apiError } from "./api-error.ts";
import type { NodeRequest } from "./node-types.ts";

/** A request refused at the HTTP layer, before connect-node sees it. */
export interface Rejection {
  status: number;
  error: ConnectError;
}

function firstHeader(value: string | readonly string[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === "string" ? value : value[0];
}

/** Host of an HTTP/1.1 request, or :authority of an HTTP/2 one (which may send host instead). */
export function requestAuthority(req: NodeRequest): string | undefined {
  return firstHeader(req.headers[":authority"]) ?? firstHeader(req.headers.host);
}

/** Declared body size; NaN when the header is malformed, undefined when there is none. */
export function declaredLength(req: NodeRequest): number | undefined {
  const raw = firstHeader(req.headers["content-length"]);
  if (raw === undefined) return undefined;
  return /^\s*\d+\s*$/.test(raw) ? Number(raw) : Number.NaN;
}

/** Content-Length check (both listeners). Bodies without a length are capped by readMaxBytes. */
export function checkDeclaredLength(req: NodeRequest, maxBytes: number): Rejection | undefined {
  const length = declaredLength(req);
  if (length === undefined || length <= maxBytes) return undefined;
  if (Number.isNaN(length)) {
    return {
      status: 400,
      error: apiError(Code.InvalidArgument, "VALIDATION_ERROR", "The Content-Length header is not a number."),
    };
  }
  return {
    status: 413,
    error: apiError(
      Code.ResourceExhausted,
      "REQUEST_TOO_LARGE",
      `The request body is ${length} bytes; the manager API accepts at most ${maxBytes} bytes.`,
      { details: { limit_bytes: String(maxBytes) } },
    ),
  };
}

/**
 * Host and Origin checks of the TCP listener, in that order. A Host outside the loopback names
 * with the bound port means DNS rebinding or a wrong URL; an Origin outside the list means
 * another site's page.
 */
export function checkHostAndOrigin(req: NodeRequest, allow: AllowList): Rejection | undefined {
  const host = requestAuthority(req);
  if (!hostAllowed(allow, host)) {
    return {
      status: 403,
      error: apiError(
        Code.PermissionDenied,
        "HOST_NOT_ALLOWED",
        `Host ${JSON.stringify(host ?? "")} is not allowed; open the dashboard as ${[...allow.hosts]
          .map((h) => `http://${h}`)
          .join(" or ")}.`,
      ),
    };
  }
  const origin = firstHeader(req.headers.origin);
  if (!originAllowed(allow, origin)) {
    return {
      status: 403,
      error: apiError(
        Code.PermissionDenied,
        "ORIGIN_NOT_ALLOWED",
        `Requests from origin ${JSON.stringify(origin)} are not allowed; only the dashboard's own pages may call the API.`,
      ),
    };
  }
  return undefined;
}
