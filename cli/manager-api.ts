// The running manager's Connect API (token-less api.sock) as a source for `status` and
// `approvals`: when the manager runs it answers for every attached proxy at once; when it does not,
// or a call to it cannot get through (UNAVAILABLE, or no identity to approve as), the commands ask
// the proxies' control sockets instead. Only such a failure is worth a line on stderr, and only
// one per run: a manager that is simply not running is the ordinary case.
import { Code, ConnectError, type Client } from "@connectrpc/connect";
import { ApprovalService } from "../lib/gen/mcpacp/api/v1/approval_service_pb.ts";
import { ProxyService } from "../lib/gen/mcpacp/api/v1/proxy_service_pb.ts";
import { RuntimeService } from "../lib/gen/mcpacp/api/v1/runtime_service_pb.ts";
import { ProxyStatus } from "../lib/gen/mcpacp/common/v1/proxy_pb.ts";
import { apiSocketPath, type AppPaths } from "../lib/paths/index.ts";
import { RpcCode, RpcError } from "../lib/rpc/index.ts";
import { readManagerStatus } from "../services/manager/index.ts";
import { managerApiClient } from "./commands/manager/api-client.ts";
import { CALL_TIMEOUT_MS, errorText } from "./control-client.ts";
import { printErrorLine, stderrStyle } from "./ui/index.ts";

/** Where an answer came from (the JSON field `via`). */
export type AnswerSource = "manager" | "control_socket";

/** Deadline of a call the manager forwards to a proxy: the manager's own 30 s, plus a margin. */
export const FORWARDED_CALL_TIMEOUT_MS = CALL_TIMEOUT_MS + 5000;

/** Clients of the services the CLI uses on the running manager's api.sock. */
export interface ManagerApi {
  readonly socketPath: string;
  readonly proxies: Client<typeof ProxyService>;
  readonly approvals: Client<typeof ApprovalService>;
  readonly runtime: Client<typeof RuntimeService>;
}

/** The running manager's API, or undefined when no manager answers its Health check. */
export async function runningManagerApi(paths: AppPaths): Promise<ManagerApi | undefined> {
  const status = await readManagerStatus(paths);
  if (status.health === undefined) return undefined;
  const socketPath = status.health.apiSocket || apiSocketPath(paths);
  return {
    socketPath,
    proxies: managerApiClient(ProxyService, socketPath),
    approvals: managerApiClient(ApprovalService, socketPath),
    runtime: managerApiClient(RuntimeService, socketPath),
  };
}

/**
 * Whether a failed manager call should be retried on the control socket: the manager (or the
 * proxy behind it) could not be reached, or it has no identity to act as. Any other failure is
 * the proxy's or the manager's answer and is reported, never retried.
 */
export function shouldFallBack(error: unknown): boolean {
  if (error instanceof ConnectError) return error.code === Code.Unavailable || error.code === Code.Unauthenticated;
  // Not a Connect answer at all (e.g. the socket vanished mid-call): the manager is unusable.
  return !(error instanceof RpcError);
}

/** A manager error as the RpcError the control-socket code paths already explain. */
export function asRpcError(error: unknown): unknown {
  if (!(error instanceof ConnectError)) return error;
  // Connect and gRPC share their code numbers.
  return new RpcError(error.code as number as RpcCode, error.rawMessage, { cause: error });
}

/** The names of the proxies the manager lists as running (attached to it). */
export async function attachedProxyNames(api: ManagerApi): Promise<Set<string>> {
  const answer = await api.proxies.listProxies({}, { timeoutMs: FORWARDED_CALL_TIMEOUT_MS });
  return new Set(answer.proxies.filter((p) => p.status === ProxyStatus.RUNNING).map((p) => p.proxyName));
}

let fallbackNoted = false;

/** One stderr line (once per run): the manager failed `what`, so the control sockets answer. */
export function noteManagerFallback(api: ManagerApi, what: string, error: unknown): void {
  if (fallbackNoted) return;
  fallbackNoted = true;
  const reason = error instanceof ConnectError ? error.rawMessage : errorText(error);
  printErrorLine(stderrStyle().dim(`The manager (${api.socketPath}) could not ${what} (${reason}); asking the proxies' control sockets instead.`));
}
