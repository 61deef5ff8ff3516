// ApprovalService: pending approvals and the approval cache of running proxies, forwarded to their
// ProxyControl. ListPending with no proxy merges every attached proxy; the other calls follow the
// proxy selection rule (spec manager.md §12). Resolutions are made as the caller's identity.
import { clone, create, type MessageInitShape } from "@bufbuild/protobuf";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import type { ServiceImpl } from "@connectrpc/connect";
import { RpcCode } from "../../../../lib/rpc/index.ts";
import type {
  ApprovalService,
  ClearCachedRequest,
  DeleteCachedRequest,
  ListCachedRequest,
  ListPendingRequest,
  ListPendingResponseSchema,
  ResolvePendingRequest,
} from "../../../../lib/gen/mcpacp/api/v1/approval_service_pb.ts";
import { ApprovalAction, ApprovalChannel, ApproverSchema, type PendingApproval, PendingApprovalSchema } from "../../../../lib/gen/mcpacp/common/v1/approval_pb.ts";
import { domainError } from "../../gateway/index.ts";
import { selectAttached } from "../common/attached.ts";
import { guarded, invalidField, requiredField } from "../common/errors.ts";
import { forward, tryForward } from "../control/forward.ts";
import type { AttachedProxy, ManagerApiDeps } from "../deps.ts";

/** Each approval names its proxy, whoever filled it in. */
function tagged(proxy: AttachedProxy, approvals: readonly PendingApproval[]): PendingApproval[] {
  return approvals.map((a) => {
    const copy = clone(PendingApprovalSchema, a);
    copy.proxyId ||= proxy.proxyId;
    copy.proxyName ||= proxy.proxyName;
    return copy;
  });
}

function createdMs(approval: PendingApproval): number {
  return approval.createdAt === undefined ? 0 : timestampDate(approval.createdAt).getTime();
}

/** The pending approvals of one attached proxy; with `strict` false a failing proxy's cached list is used. */
async function pendingOf(deps: ManagerApiDeps, proxy: AttachedProxy, strict: boolean): Promise<PendingApproval[]> {
  if (strict) {
    const answer = await forward(deps, proxy, "ListPending", (client, options) => client.listPending({}, options));
    return tagged(proxy, answer.approvals);
  }
  const answer = await tryForward(deps, proxy, (client, options) => client.listPending({}, options));
  if (answer.ok) return tagged(proxy, answer.value.approvals);
  // One unreachable proxy must not hide the others' approvals: fall back to what its link last sent.
  return tagged(proxy, proxy.snapshot?.()?.pending ?? []);
}

async function listPending(deps: ManagerApiDeps, req: ListPendingRequest): Promise<MessageInitShape<typeof ListPendingResponseSchema>> {
  if (req.proxy.trim() !== "") return { approvals: await pendingOf(deps, selectAttached(deps, req.proxy), true) };
  const lists = await Promise.all(deps.registry.list().map((proxy) => pendingOf(deps, proxy, false)));
  return { approvals: lists.flat().sort((a, b) => createdMs(a) - createdMs(b)) };
}

const RESOLVE_CODES = { [RpcCode.NOT_FOUND]: "APPROVAL_NOT_FOUND", [RpcCode.PERMISSION_DENIED]: "APPROVAL_UNAUTHORIZED", [RpcCode.FAILED_PRECONDITION]: "APPROVAL_STALE" };

async function resolvePending(deps: ManagerApiDeps, req: ResolvePendingRequest) {
  if (req.approvalId.trim() === "") throw requiredField("approval_id", "the id of the pending approval (16 hex characters)");
  if (req.action === ApprovalAction.UNSPECIFIED) throw invalidField("action", "must be ALLOW_ONCE, ALLOW_AND_CACHE or DENY", "REQUIRED");
  const proxy = selectAttached(deps, req.proxy);
  const identity = deps.approver();
  if (identity === null) {
    throw domainError("AUTH_REQUIRED", "Resolving an approval needs a signed-in identity; log in first.", { details: { proxy: proxy.proxyName } });
  }
  const approver = create(ApproverSchema, {
    subjectId: identity.subjectId,
    displayName: identity.displayName,
    channel: ApprovalChannel.DASHBOARD,
    client: `mcp-acp manager (pid ${deps.manager.pid})`,
  });
  const answer = await forward(
    deps,
    proxy,
    "ResolvePending",
    (client, options) =>
      client.resolvePending(
        {
          approvalId: req.approvalId,
          action: req.action,
          approver,
          expectedArgumentsDigest: req.expectedArgumentsDigest,
          expectedPolicyVersion: req.expectedPolicyVersion,
        },
        options,
      ),
    RESOLVE_CODES,
  );
  return { resolution: answer.resolution };
}

export function approvalServiceImpl(deps: ManagerApiDeps): Partial<ServiceImpl<typeof ApprovalService>> {
  return {
    listPending: guarded("listing pending approvals", (req: ListPendingRequest) => listPending(deps, req)),
    resolvePending: guarded("resolving an approval", (req: ResolvePendingRequest) => resolvePending(deps, req)),
    listCached: guarded("listing cached approvals", async (req: ListCachedRequest) => {
      const proxy = selectAttached(deps, req.proxy);
      const answer = await forward(deps, proxy, "ListCached", (client, options) => client.listCached({}, options));
      return { cached: answer.cached };
    }),
    clearCached: guarded("clearing cached approvals", async (req: ClearCachedRequest) => {
      const proxy = selectAttached(deps, req.proxy);
      const answer = await forward(deps, proxy, "ClearCached", (client, options) => client.clearCached({}, options));
      return { cleared: answer.cleared };
    }),
    deleteCached: guarded("deleting a cached approval", async (req: DeleteCachedRequest) => {
      if (req.subjectId === "") throw requiredField("subject_id", "the subject of the cache entry");
      if (req.toolName === "") throw requiredField("tool_name", "the tool of the cache entry");
      const proxy = selectAttached(deps, req.proxy);
      const answer = await forward(
        deps,
        proxy,
        "DeleteCached",
        (client, options) => client.deleteCached({ subjectId: req.subjectId, toolName: req.toolName, path: req.path }, options),
        { [RpcCode.NOT_FOUND]: "CACHED_APPROVAL_NOT_FOUND" },
      );
      return { deleted: answer.deleted };
    }),
  };
}
