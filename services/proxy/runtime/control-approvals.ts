// The approval RPCs of ProxyControl (pending list, live feed, resolution, approval cache), served
// from the proxy's own broker and cache. Refusals keep the broker's message and map its HitlError
// code to a gRPC status (NOT_FOUND, PERMISSION_DENIED, FAILED_PRECONDITION for stale).
import { ProxyControl } from "../../../lib/gen/mcpacp/control/v1/control_pb.ts";
import { type PartialGrpcServiceImpl, RpcCode, RpcError } from "../../../lib/rpc/index.ts";
import {
  type ApprovalBroker,
  type ApprovalCache,
  approvalActionFromMessage,
  approvalResolutionMessage,
  approverFromMessage,
  cachedApprovalMessage,
  cachedApprovalsMessage,
  HitlError,
  HitlErrorCode,
  hitlErrorToRpc,
  isHitlError,
  pendingApprovalMessage,
  type ProxyIdentity,
  watchApprovalsResponseMessage,
} from "../hitl/index.ts";
import type { ProxyLogger } from "../relay/log.ts";

export interface ApprovalControlState {
  broker: ApprovalBroker;
  cache: ApprovalCache;
  identity: ProxyIdentity;
  /** The version of the policy in force now. */
  policyVersion(): string;
  logger: ProxyLogger;
}

function rethrowHitl(error: unknown): never {
  if (isHitlError(error)) throw hitlErrorToRpc(error);
  throw error;
}

/**
 * A request held under an older policy may no longer be one the policy asks about (or allows to
 * be asked about): allowing it is refused as stale. Denying it stays possible.
 */
function refuseIfPolicyChanged(state: ApprovalControlState, approvalId: string): void {
  const pending = state.broker.getPending(approvalId);
  if (pending === null) return; // the broker says why (not found / already ended)
  const current = state.policyVersion();
  if (pending.policyVersion === current) return;
  throw new HitlError(
    HitlErrorCode.Stale,
    `Approval ${approvalId} was requested under policy ${pending.policyVersion}, but the policy in force is now ${current}; it can no longer be allowed. Deny it or let it time out; the client may send the request again to have it judged under the current policy.`,
    { approvalId },
  );
}

export function approvalHandlers(state: ApprovalControlState): PartialGrpcServiceImpl<typeof ProxyControl> {
  const { broker, cache, identity } = state;
  return {
    listPending: () => ({ approvals: broker.listPending().map((view) => pendingApprovalMessage(view, identity)) }),

    async *watchApprovals(request, ctx) {
      const label = request.watcher?.client || request.watcher?.subjectId || "watcher";
      state.logger.info(`Approval watcher attached: ${label}`, { event: "approval_watcher_attached" });
      try {
        // The feed counts as an approver being present until it ends (the caller leaves).
        for await (const item of broker.watch({ signal: ctx.signal, label })) yield watchApprovalsResponseMessage(item, identity);
      } finally {
        state.logger.info(`Approval watcher detached: ${label}`, { event: "approval_watcher_detached" });
      }
    },

    resolvePending: (request) => {
      const action = approvalActionFromMessage(request.action);
      if (action === null) {
        throw new RpcError(RpcCode.INVALID_ARGUMENT, "ResolvePending needs an action: ALLOW_ONCE, ALLOW_AND_CACHE or DENY");
      }
      const approver = approverFromMessage(request.approver, "cli");
      if (approver.subjectId === "") {
        throw new RpcError(RpcCode.INVALID_ARGUMENT, "ResolvePending needs approver.subject_id: who decides (the requester's own subject id)");
      }
      try {
        if (action !== "deny") refuseIfPolicyChanged(state, request.approvalId);
        const resolution = broker.resolve(request.approvalId, action, {
          approver,
          expectedDigest: request.expectedArgumentsDigest,
          expectedPolicyVersion: request.expectedPolicyVersion,
        });
        state.logger.info(`Approval ${resolution.approvalId} resolved (${resolution.outcome}) by ${approver.subjectId} via ${approver.channel}`, {
          event: "approval_resolved",
          approval_id: resolution.approvalId,
          outcome: resolution.outcome,
          approver: approver.subjectId,
          channel: approver.channel,
          client: approver.client ?? "",
        });
        return { resolution: approvalResolutionMessage(resolution) };
      } catch (error) {
        rethrowHitl(error);
      }
    },

    listCached: () => ({ cached: cachedApprovalsMessage(cache.list(), cache.ttlSeconds) }),

    clearCached: () => ({ cleared: cache.clear() }),

    deleteCached: (request) => {
      if (request.subjectId === "") throw new RpcError(RpcCode.INVALID_ARGUMENT, "DeleteCached needs subject_id (see ListCached for the entries)");
      try {
        return { deleted: cachedApprovalMessage(cache.delete(request.subjectId, request.toolName, request.path)) };
      } catch (error) {
        rethrowHitl(error);
      }
    },
  };
}
