// How an approvals command reaches one proxy: through the running manager (for proxies attached to
// it) or over the proxy's own control socket (no manager, or a headless proxy). Both answer in the
// same terms, so the commands do not care which one they hold. A manager route that cannot get
// through (UNAVAILABLE) falls back to the control socket, with one line on stderr.
import type { ApprovalResolution, CachedApprovals, PendingApproval } from "../../../lib/gen/mcpacp/common/v1/approval_pb.ts";
import type { ApprovalAction, Approver } from "../../../lib/gen/mcpacp/common/v1/approval_pb.ts";
import type { AppPaths } from "../../../lib/paths/index.ts";
import { RpcCode, RpcError } from "../../../lib/rpc/index.ts";
import { CALL_TIMEOUT_MS, openProxyConnection, type ProxyConnection } from "../../control-client.ts";
import { asRpcError, FORWARDED_CALL_TIMEOUT_MS, noteManagerFallback, shouldFallBack, type AnswerSource, type ManagerApi } from "../../manager-api.ts";

/** What a decision sends: the approval as the user saw it. */
export interface DecisionRequest {
  approval: PendingApproval;
  action: ApprovalAction;
  /** Who decides; over the manager it is the manager's identity (the same local user). */
  approver: Approver;
}

export interface ProxyRoute {
  readonly name: string;
  /** Where the answers come from (may change to control_socket after a fallback). */
  readonly via: AnswerSource;
  listPending(): Promise<PendingApproval[]>;
  resolvePending(request: DecisionRequest): Promise<ApprovalResolution>;
  listCached(): Promise<CachedApprovals | undefined>;
  clearCached(): Promise<number>;
  close(): void;
}

const OPTIONS = { timeoutMs: CALL_TIMEOUT_MS };

/** A route over the proxy's control socket (connect failures become "not running"). */
export function controlRoute(connection: ProxyConnection): ProxyRoute {
  return {
    name: connection.name,
    via: "control_socket",
    listPending: async () => (await connection.call((c) => c.listPending({}, OPTIONS))).approvals,
    async resolvePending({ approval, action, approver }) {
      const response = await connection.call((c) =>
        c.resolvePending(
          { approvalId: approval.id, action, approver, expectedArgumentsDigest: approval.argumentsDigest, expectedPolicyVersion: approval.policyVersion },
          OPTIONS,
        ),
      );
      if (response.resolution === undefined) throw new RpcError(RpcCode.INTERNAL, "the proxy answered without a resolution");
      return response.resolution;
    },
    listCached: async () => (await connection.call((c) => c.listCached({}, OPTIONS))).cached,
    clearCached: async () => (await connection.call((c) => c.clearCached({}, OPTIONS))).cleared,
    close: () => connection.close(),
  };
}

/**
 * The manager's pending approvals of every attached proxy, asked once per run and shared by all
 * manager routes (ListPending with no proxy is the manager's "all proxies at once").
 */
export class ManagerSession {
  private allPending: Promise<PendingApproval[]> | undefined;

  constructor(
    readonly api: ManagerApi,
    readonly paths: AppPaths,
  ) {}

  pendingOf(name: string): Promise<PendingApproval[]> {
    this.allPending ??= this.api.approvals.listPending({}, { timeoutMs: FORWARDED_CALL_TIMEOUT_MS }).then((r) => r.approvals);
    return this.allPending.then((all) => all.filter((a) => a.proxyName === name));
  }
}

/** A route through the manager for an attached proxy, falling back to its control socket. */
export function managerRoute(session: ManagerSession, name: string): ProxyRoute {
  const { api } = session;
  let fallback: ProxyRoute | undefined;
  const viaManager = async <T>(what: string, ask: () => Promise<T>, onSocket: (route: ProxyRoute) => Promise<T>): Promise<T> => {
    if (fallback !== undefined) return onSocket(fallback);
    try {
      return await ask();
    } catch (error) {
      if (!shouldFallBack(error)) throw asRpcError(error);
      noteManagerFallback(api, what, error);
      fallback = controlRoute(openProxyConnection(session.paths, name));
      return onSocket(fallback);
    }
  };
  const options = { timeoutMs: FORWARDED_CALL_TIMEOUT_MS };
  return {
    name,
    get via() {
      return fallback === undefined ? "manager" : "control_socket";
    },
    listPending: () => viaManager("list pending approvals", () => session.pendingOf(name), (r) => r.listPending()),
    resolvePending: (request) =>
      viaManager(
        "resolve the approval",
        async () => {
          const { approval, action } = request;
          const response = await api.approvals.resolvePending(
            { proxy: name, approvalId: approval.id, action, expectedArgumentsDigest: approval.argumentsDigest, expectedPolicyVersion: approval.policyVersion },
            options,
          );
          if (response.resolution === undefined) throw new RpcError(RpcCode.INTERNAL, "the manager answered without a resolution");
          return response.resolution;
        },
        (r) => r.resolvePending(request),
      ),
    listCached: () => viaManager("list cached approvals", async () => (await api.approvals.listCached({ proxy: name }, options)).cached, (r) => r.listCached()),
    clearCached: () => viaManager("clear cached approvals", async () => (await api.approvals.clearCached({ proxy: name }, options)).cleared, (r) => r.clearCached()),
    close: () => fallback?.close(),
  };
}
