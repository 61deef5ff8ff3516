import { chmod, unlink } from "node:fs/promises";
import { isRpcError, prepareSocketPath, RpcCode } from "../../../lib/rpc/index.ts";
import { buildAllowList, type AllowList } from "./allow-list.ts";
import { CLOSE_GRACE_MS } from "./constants.ts";
import { GatewayError, GatewayErrorCode } from "./errors.ts";
import { validateGatewayOptions, type GatewayHandle, type GatewayOptions } from "./gateway-options.ts";
import { createGatewayHandlers } from "./http-handlers.ts";
import { DualProtocolServer } from "./listeners.ts";
import { LoginCodes } from "./login-codes.ts";
import type { NodeHandler } from "./node-types.ts";
import { generateApiToken } from "./token.ts";

/** Counts requests in flight, so close() knows when nothing is left to wait for. */
function tracked(handler: NodeHandler, counter: { active: number }): NodeHandler {
  return (req, res) => {
    counter.active++;
    res.once("close", () => counter.active--);
    handler(req, res);
  };
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function errnoCode(error: unknown): string | undefined {
  return error instanceof Error && "code" in error && typeof error.code === "string" ? error.code : undefined;
}

/**
 * Starts the manager's Connect gateway: the API and the dashboard on host:port (HTTP/1.1 and
 * h2c on one port, token required), and the same API on apiSocketPath without a token.
 */
export async function startGateway(options: GatewayOptions): Promise<GatewayHandle> {
  const host = validateGatewayOptions(options);
  const token = generateApiToken();
  const codes = new LoginCodes();
  const shutdown = new AbortController();
  let allow: AllowList | undefined;
  const handlers = createGatewayHandlers({
    routes: options.routes,
    token,
    codes,
    apiSocketPath: options.apiSocketPath,
    staticDir: options.staticDir,
    dashboardBuildCommand: options.dashboardBuildCommand,
    onActivity: options.onActivity,
    shutdownSignal: shutdown.signal,
    // Until the port is known nothing is allowed (no request can arrive before it is, anyway).
    allowList: () => allow ?? buildAllowList(-1),
  });

  const tcpCounter = { active: 0 };
  const tcp = new DualProtocolServer(tracked(handlers.tcp, tcpCounter));
  try {
    await tcp.listen({ port: options.port, host, backlog: 100 });
  } catch (error) {
    const inUse = errnoCode(error) === "EADDRINUSE";
    throw new GatewayError(
      inUse ? GatewayErrorCode.PortInUse : GatewayErrorCode.BindFailed,
      inUse
        ? `port ${options.port} on ${host} is already in use; stop the program that holds it or choose another ui_port`
        : `cannot listen on ${host}:${options.port}: ${describeError(error)}`,
      { cause: error },
    );
  }
  const port = tcp.port();
  allow = buildAllowList(port, options.devOrigins);

  const unixCounter = { active: 0 };
  const unix = new DualProtocolServer(tracked(handlers.unix, unixCounter));
  let socketPath: string;
  try {
    socketPath = await prepareSocketPath(options.apiSocketPath);
    await unix.listen({ path: socketPath, backlog: 100 });
    // The 0700 runtime directory already keeps other users out; the mode says it again.
    await chmod(socketPath, 0o600);
  } catch (error) {
    await tcp.close(0, () => true);
    if (isRpcError(error) && error.code === RpcCode.ALREADY_EXISTS) {
      throw new GatewayError(GatewayErrorCode.SocketInUse, error.message, { cause: error });
    }
    throw new GatewayError(
      GatewayErrorCode.BindFailed,
      `cannot serve the API socket ${options.apiSocketPath}: ${describeError(error)}`,
      { cause: error },
    );
  }

  const hostInUrl = host.includes(":") ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    port,
    url: `http://${hostInUrl}:${port}`,
    apiSocketPath: socketPath,
    token,
    issueLoginCode: () => codes.issue(),
    close: () => {
      closing ??= (async () => {
        shutdown.abort();
        await Promise.all([
          tcp.close(CLOSE_GRACE_MS, () => tcpCounter.active === 0),
          unix.close(CLOSE_GRACE_MS, () => unixCounter.active === 0),
        ]);
        await unlink(socketPath).catch(() => undefined);
      })();
      return closing;
    },
  };
}
