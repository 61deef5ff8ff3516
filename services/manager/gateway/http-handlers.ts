import { Code, createContextValues, type ConnectRouter } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { activityInterceptor, type ActivityListener } from "./activity.ts";
import type { AllowList } from "./allow-list.ts";
import { apiError } from "./api-error.ts";
import { MAX_REQUEST_BYTES } from "./constants.ts";
import type { LoginCodes } from "./login-codes.ts";
import { handleLoginExchange } from "./login-exchange.ts";
import type { NodeHandler, NodeRequest, NodeResponse } from "./node-types.ts";
import { withReflection } from "./reflection/index.ts";
import { checkDeclaredLength, checkHostAndOrigin } from "./request-guard.ts";
import { isGrpcContentType, sendHtml, sendRejection } from "./responses.ts";
import { createRpcGate, oversizeKey } from "./rpc-gate.ts";
import { applySecurityHeaders } from "./security-headers.ts";
import { createStaticHandler } from "./static-files.ts";

export interface HandlerSetup {
  routes: (router: ConnectRouter) => void;
  token: string;
  codes: LoginCodes;
  apiSocketPath: string;
  staticDir: string | null | undefined;
  dashboardBuildCommand: string | undefined;
  onActivity: ActivityListener | undefined;
  /** Aborted by close(): handlers' signals fire and open streams end. */
  shutdownSignal: AbortSignal;
  /** Read per request: the allow-list exists only once the port is bound. */
  allowList: () => AllowList;
}

export interface GatewayHandlers {
  tcp: NodeHandler;
  unix: NodeHandler;
}

/**
 * The request handlers of both listeners. Checks, in order:
 *   1. declared body size (both listeners; readMaxBytes caps bodies without a length)
 *   2. Host, 3. Origin (TCP)
 *   4. HTTP method POST, 5. Connect-Protocol-Version on Connect requests (TCP),
 *   6. token (TCP) — these in the RPC gate, before the body is read
 * Security headers go on every response.
 */
export function createGatewayHandlers(setup: HandlerSetup): GatewayHandlers {
  const oversized = new WeakSet<NodeRequest>();
  const routes = withReflection(setup.routes);
  const interceptors = setup.onActivity ? [activityInterceptor(setup.onActivity)] : [];
  const contextValues = (req: NodeRequest) => createContextValues().set(oversizeKey, oversized.has(req));
  const staticFiles = createStaticHandler({ dir: setup.staticDir, buildCommand: setup.dashboardBuildCommand });
  const common = {
    routes,
    readMaxBytes: MAX_REQUEST_BYTES,
    shutdownSignal: setup.shutdownSignal,
    interceptors,
    contextValues,
  };

  const refuseOversized = (req: NodeRequest, res: NodeResponse): boolean => {
    if (!oversized.has(req)) return false;
    const error = apiError(Code.ResourceExhausted, "REQUEST_TOO_LARGE", `The request body is over ${MAX_REQUEST_BYTES} bytes.`);
    sendRejection(req, res, 413, error);
    return true;
  };

  const notFound = (req: NodeRequest, res: NodeResponse): void => {
    sendRejection(req, res, 404, apiError(Code.Unimplemented, "NOT_FOUND", `Nothing is served at ${req.url ?? "/"}.`));
  };

  const tcpAdapter = connectNodeAdapter({
    ...common,
    requestGate: createRpcGate({
      token: setup.token,
      requireProtocolHeader: true,
      maxBytes: MAX_REQUEST_BYTES,
      apiSocketPath: setup.apiSocketPath,
    }),
    fallback: (req, res) => {
      if (refuseOversized(req, res)) return;
      if (req.method !== "GET" && req.method !== "HEAD") return notFound(req, res);
      if (handleLoginExchange(req, res, setup.codes, setup.token)) return;
      staticFiles(req, res).catch(() => {
        if (!res.headersSent) sendHtml(res, 500, "Error", ["The file could not be read."]);
        else res.end();
      });
    },
  });

  const unixAdapter = connectNodeAdapter({
    ...common,
    requestGate: createRpcGate({
      token: undefined,
      requireProtocolHeader: false,
      maxBytes: MAX_REQUEST_BYTES,
      apiSocketPath: setup.apiSocketPath,
    }),
    fallback: (req, res) => {
      if (refuseOversized(req, res)) return;
      notFound(req, res);
    },
  });

  /** True when the request was answered here. */
  const checkSize = (req: NodeRequest, res: NodeResponse): boolean => {
    const size = checkDeclaredLength(req, MAX_REQUEST_BYTES);
    if (size === undefined) return false;
    // The body is never read, so an HTTP/1.1 connection cannot be reused after the answer.
    if (req.httpVersionMajor === 1) res.setHeader("connection", "close");
    if (size.status !== 413 || !isGrpcContentType(req.headers["content-type"])) {
      sendRejection(req, res, size.status, size.error);
      return true;
    }
    // gRPC reports errors in grpc-status, not in the HTTP status: refused by the RPC gate (or
    // the fallback), which encode RESOURCE_EXHAUSTED the way the protocol expects.
    oversized.add(req);
    return false;
  };

  const tcp: NodeHandler = (req, res) => {
    applySecurityHeaders(res);
    if (checkSize(req, res)) return;
    const rejection = checkHostAndOrigin(req, setup.allowList());
    if (rejection) return sendRejection(req, res, rejection.status, rejection.error);
    tcpAdapter(req, res);
  };

  const unix: NodeHandler = (req, res) => {
    applySecurityHeaders(res);
    if (checkSize(req, res)) return;
    // The socket has no host name; connect-node needs one to build the request URL.
    if (req.headers[":authority"] === undefined && req.headers.host === undefined) req.headers.host = "localhost";
    unixAdapter(req, res);
  };

  return { tcp: safely(tcp), unix: safely(unix) };
}

/** connect-node throws synchronously on requests it cannot make a URL of (a garbled Host). */
function safely(handler: NodeHandler): NodeHandler {
  return (req, res) => {
    try {
      handler(req, res);
    } catch {
      if (!res.headersSent) sendHtml(res, 400, "Bad request", ["The request could not be parsed."]);
      else res.end();
    }
  };
}
