// Reaching a running proxy's control socket (ProxyControl over gRPC on <runtime>/proxy_<name>.sock).
// A proxy counts as running when its socket accepts a connection. Connect failures are retried
// three times (100, 200, 400 ms) because a proxy may be opening or reopening its socket; any
// other failure is the proxy's answer and is never retried, so nothing is sent twice.
import { ProxyControl } from "../lib/gen/mcpacp/control/v1/control_pb.ts";
import { controlSocketPath, type AppPaths } from "../lib/paths/index.ts";
import { createGrpcClient, isSocketLive, RpcCode, RpcError, type GrpcClient } from "../lib/rpc/index.ts";
import { failure, type CliError } from "./errors.ts";

export type ControlClient = GrpcClient<typeof ProxyControl>;

/** Waits between the attempts to reach a socket: three retries after the first try. */
export const CONNECT_RETRY_DELAYS_MS: readonly number[] = [100, 200, 400];
/** How long a socket probe waits for the socket to accept a connection. */
export const PROBE_TIMEOUT_MS = 500;
/** Deadline of an ordinary call to a proxy. */
export const CALL_TIMEOUT_MS = 30_000;

export function startCommand(name: string): string {
  return `mcp-acp start --proxy ${name}`;
}

/** The one-line error of every command that needs the proxy running. */
export function proxyNotRunningError(name: string): CliError {
  return failure(`Proxy '${name}' is not running. Start it with: ${startCommand(name)}`);
}

/** A call that never reached the proxy: nothing listens on the socket (yet or any more). */
export function isConnectError(error: unknown): boolean {
  return error instanceof RpcError && error.code === RpcCode.UNAVAILABLE && /No connection established|ECONNREFUSED|ENOENT/.test(error.message);
}

export function isUnimplemented(error: unknown): boolean {
  return error instanceof RpcError && error.code === RpcCode.UNIMPLEMENTED;
}

/** The message of any error, for one line of output. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Whether the proxy's control socket accepts a connection within timeoutMs (no retries). */
export function probeProxy(paths: AppPaths, name: string, timeoutMs = PROBE_TIMEOUT_MS): Promise<boolean> {
  return isSocketLive(controlSocketPath(paths, name), timeoutMs);
}

/** The subset of `names` whose proxies answer a probe, in the given order (probed in parallel). */
export async function runningProxies(paths: AppPaths, names: readonly string[]): Promise<string[]> {
  const live = await Promise.all(names.map((name) => probeProxy(paths, name)));
  return names.filter((_, i) => live[i] === true);
}

/** An open channel to one running proxy; close() it when done. */
export interface ProxyConnection {
  readonly name: string;
  readonly socketPath: string;
  readonly client: ControlClient;
  /** Runs a call, retrying it only when it could not connect; then the proxy is "not running". */
  call<T>(attempt: (client: ControlClient) => Promise<T>): Promise<T>;
  close(): void;
}

/** Runs `attempt` until it succeeds or fails with something other than `retryable`. */
async function withConnectRetries<T>(attempt: () => Promise<T>, retryable: (error: unknown) => boolean): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      const delay = CONNECT_RETRY_DELAYS_MS[i];
      if (!retryable(error) || delay === undefined) throw error;
      await Bun.sleep(delay);
    }
  }
}

/** A connection to a proxy without probing it first; calls still fail over to "not running". */
export function openProxyConnection(paths: AppPaths, name: string): ProxyConnection {
  const socketPath = controlSocketPath(paths, name);
  const client = createGrpcClient(ProxyControl, socketPath);
  return {
    name,
    socketPath,
    client,
    async call(attempt) {
      try {
        return await withConnectRetries(() => attempt(client), isConnectError);
      } catch (error) {
        if (isConnectError(error)) throw proxyNotRunningError(name);
        throw error;
      }
    },
    close: () => client.close(),
  };
}

/** A connection to a proxy that answers its socket (probed with retries); else "not running". */
export async function connectRunningProxy(paths: AppPaths, name: string): Promise<ProxyConnection> {
  const NOT_LIVE = new Error("not live");
  try {
    await withConnectRetries(
      async () => {
        if (!(await probeProxy(paths, name))) throw NOT_LIVE;
      },
      (error) => error === NOT_LIVE,
    );
  } catch {
    throw proxyNotRunningError(name);
  }
  return openProxyConnection(paths, name);
}

/** Runs `use` with a connection to a running proxy and always closes it. */
export async function withRunningProxy<T>(paths: AppPaths, name: string, use: (connection: ProxyConnection) => Promise<T>): Promise<T> {
  const connection = await connectRunningProxy(paths, name);
  try {
    return await use(connection);
  } finally {
    connection.close();
  }
}
