// The single-instance check that runs before the backend is spawned. It needs only a socket
// connect, so it stays cheap; the control server itself (grpc-js and the generated descriptors,
// the bulk of the proxy's start-up cost) is loaded later, once the MCP session is up.
import { isSocketLive } from "../../../lib/rpc/socket-path.ts";
import { StartupError, StartupErrorCode } from "./errors.ts";

/** How long an existing socket may take to answer before it counts as stale (spec: 1 s). */
export const LIVE_SOCKET_TIMEOUT_MS = 1000;

export function alreadyRunningError(name: string, socketPath: string, cause?: unknown): StartupError {
  return new StartupError(StartupErrorCode.AlreadyRunning, `Another proxy '${name}' is already running (its control socket ${socketPath} answers).`, {
    hint: "Stop that proxy first (or close the MCP client that started it); only one instance per proxy can run.",
    cause,
  });
}

/** Refuses to start when another run of this proxy answers on its control socket. A stale socket
 * is left for the control server to remove when it binds. */
export async function ensureNotRunning(name: string, socketPath: string): Promise<void> {
  if (await isSocketLive(socketPath, LIVE_SOCKET_TIMEOUT_MS)) throw alreadyRunningError(name, socketPath);
}
