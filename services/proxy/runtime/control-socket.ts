// The control socket is both the ProxyControl endpoint and the single-instance guard: a socket
// that answers means another run of this proxy is alive; one that does not is stale and removed.
import type { ProxyControl } from "../../../lib/gen/mcpacp/control/v1/control_pb.ts";
import { type GrpcServerHandle, type GrpcServiceBinding, RpcCode, RpcError, startGrpcServer } from "../../../lib/rpc/index.ts";
import type { ProxyLogger } from "../relay/log.ts";
import { StartupError, StartupErrorCode } from "./errors.ts";
import { alreadyRunningError, LIVE_SOCKET_TIMEOUT_MS } from "./instance-guard.ts";

export async function openControlSocket(
  name: string,
  socketPath: string,
  binding: GrpcServiceBinding<typeof ProxyControl>,
  logger: ProxyLogger,
): Promise<GrpcServerHandle> {
  try {
    return await startGrpcServer({
      socketPath,
      services: [binding],
      liveCheckTimeoutMs: LIVE_SOCKET_TIMEOUT_MS,
      onHandlerError: (error, path) =>
        logger.error(`Control request ${path} failed: ${error instanceof Error ? error.message : String(error)}`),
    });
  } catch (error) {
    if (!(error instanceof RpcError)) throw error;
    // ALREADY_EXISTS: a live server answered; EADDRINUSE: another run bound it just now.
    if (error.code === RpcCode.ALREADY_EXISTS || /EADDRINUSE/.test(error.message)) {
      throw alreadyRunningError(name, socketPath, error);
    }
    throw new StartupError(StartupErrorCode.StartupFailed, `Cannot open the control socket ${socketPath}: ${error.message}`, {
      hint: "Check that the runtime directory is writable by you, or set MCP_ACP_HOME to a short path.",
      cause: error,
    });
  }
}
