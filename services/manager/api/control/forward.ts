// Calls to a proxy's ProxyControl socket on behalf of an API request: one deadline for all (30 s),
// and every failure translated into a Connect error with an ErrorDetail naming the proxy.
import { Code, ConnectError } from "@connectrpc/connect";
import { isRpcError, RpcCode, type CallOptions, type RpcError } from "../../../../lib/rpc/index.ts";
import { apiError } from "../../gateway/index.ts";
import type { AttachedProxy, ManagerApiDeps, ProxyControlClient } from "../deps.ts";

/** Deadline of a forwarded call (spec manager.md §13 "forward timeout"). */
export const CONTROL_TIMEOUT_MS = 30_000;

/** ErrorDetail codes by status, for statuses whose meaning depends on the RPC. */
export type DomainCodes = Partial<Record<RpcCode, string>>;

const DEFAULT_DOMAIN_CODES: Readonly<Record<number, string>> = {
  [RpcCode.CANCELLED]: "PROXY_UNAVAILABLE",
  [RpcCode.INVALID_ARGUMENT]: "VALIDATION_ERROR",
  [RpcCode.DEADLINE_EXCEEDED]: "DEADLINE_EXCEEDED",
  [RpcCode.NOT_FOUND]: "NOT_FOUND",
  [RpcCode.ALREADY_EXISTS]: "CONFLICT",
  [RpcCode.PERMISSION_DENIED]: "AUTH_FORBIDDEN",
  [RpcCode.RESOURCE_EXHAUSTED]: "RESOURCE_EXHAUSTED",
  [RpcCode.FAILED_PRECONDITION]: "FAILED_PRECONDITION",
  [RpcCode.ABORTED]: "ABORTED",
  [RpcCode.UNIMPLEMENTED]: "NOT_IMPLEMENTED",
  [RpcCode.UNAVAILABLE]: "PROXY_UNAVAILABLE",
  [RpcCode.UNAUTHENTICATED]: "AUTH_REQUIRED",
};

function connectCode(code: RpcCode): Code {
  // gRPC and Connect share the numbering; OK or UNKNOWN from a failed call are just "unknown".
  return code === RpcCode.OK ? Code.Unknown : (code as number as Code);
}

function messageFor(error: RpcError, proxy: AttachedProxy, rpc: string, timeoutMs: number): string {
  const name = proxy.proxyName;
  switch (error.code) {
    case RpcCode.UNAVAILABLE:
    case RpcCode.CANCELLED:
      return `Proxy '${name}' does not answer on its control socket ${proxy.controlSocket} (${rpc}): ${error.message}. It may have stopped; check 'mcp-acp proxy list'.`;
    case RpcCode.DEADLINE_EXCEEDED:
      return `Proxy '${name}' did not answer ${rpc} within ${Math.round(timeoutMs / 1000)} s; it may be overloaded or stuck.`;
    case RpcCode.UNIMPLEMENTED:
      return `Proxy '${name}' does not support ${rpc} (its version may be older than the manager's).`;
    default:
      return `Proxy '${name}' refused ${rpc}: ${error.message}`;
  }
}

/** The Connect error an API caller sees for a failed control call. */
export function controlError(error: unknown, proxy: AttachedProxy, rpc: string, codes: DomainCodes = {}, timeoutMs = CONTROL_TIMEOUT_MS): ConnectError {
  if (error instanceof ConnectError) return error;
  if (!isRpcError(error)) {
    const text = error instanceof Error ? error.message : String(error);
    return apiError(Code.Internal, "INTERNAL_ERROR", `Calling ${rpc} on proxy '${proxy.proxyName}' failed: ${text}`, { details: { proxy: proxy.proxyName }, cause: error });
  }
  const domain = codes[error.code] ?? DEFAULT_DOMAIN_CODES[error.code] ?? "PROXY_ERROR";
  return apiError(connectCode(error.code), domain, messageFor(error, proxy, rpc, timeoutMs), {
    details: { proxy: proxy.proxyName, rpc, status: error.codeName },
    cause: error,
  });
}

export function isUnimplemented(error: unknown): boolean {
  return isRpcError(error) && error.code === RpcCode.UNIMPLEMENTED;
}

/** A call that never reached the proxy (nothing accepted the connection). */
function isConnectFailure(error: unknown): boolean {
  return isRpcError(error) && error.code === RpcCode.UNAVAILABLE && /No connection established|ECONNREFUSED|ENOENT/.test(error.message);
}

type ControlCall<T> = (client: ProxyControlClient, options: CallOptions) => Promise<T>;

/** One call, retried once on a fresh channel when the cached one could not connect. */
async function callOnce<T>(deps: ManagerApiDeps, proxy: AttachedProxy, call: ControlCall<T>, timeoutMs: number): Promise<T> {
  try {
    return await call(deps.proxyControl(proxy), { timeoutMs });
  } catch (error) {
    if (!isConnectFailure(error)) throw error;
    return await call(deps.proxyControl(proxy, { fresh: true }), { timeoutMs });
  }
}

/**
 * Runs `call` against the proxy's control client with the API deadline. Failures are thrown as
 * Connect errors; use `raw` to see the RpcError instead (for fallbacks).
 */
export async function forward<T>(
  deps: ManagerApiDeps,
  proxy: AttachedProxy,
  rpc: string,
  call: ControlCall<T>,
  codes: DomainCodes = {},
): Promise<T> {
  const timeoutMs = deps.controlTimeoutMs ?? CONTROL_TIMEOUT_MS;
  try {
    return await callOnce(deps, proxy, call, timeoutMs);
  } catch (error) {
    throw controlError(error, proxy, rpc, codes, timeoutMs);
  }
}

/** Like forward, but failures come back as the raw error (the caller decides the fallback). */
export async function tryForward<T>(
  deps: ManagerApiDeps,
  proxy: AttachedProxy,
  call: ControlCall<T>,
  timeoutMs?: number,
): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  try {
    return { ok: true, value: await callOnce(deps, proxy, call, timeoutMs ?? deps.controlTimeoutMs ?? CONTROL_TIMEOUT_MS) };
  } catch (error) {
    return { ok: false, error };
  }
}
