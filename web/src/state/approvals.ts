// Approve / deny / cache actions. An item leaves the list only when the feed reports the
// resolution; while its call runs its buttons are disabled (busy).
import { createRoot, createSignal } from "solid-js";
import { Code } from "@connectrpc/connect";
import { api } from "../api/client.ts";
import { describeError } from "../api/errors.ts";
import { ApprovalAction } from "../../../lib/gen/mcpacp/common/v1/approval_pb.ts";
import type { CachedView, PendingView } from "./feed-reducer.ts";
import { feed } from "./feed.ts";
import { toast } from "./toasts.ts";

export type ApprovalChoice = "once" | "cache" | "deny";

const [busy, setBusy] = createRoot(() => createSignal<ReadonlySet<string>>(new Set()));

/** Whether a resolve call for this pending key is running. */
export function isResolving(key: string): boolean {
  return busy().has(key);
}

const ACTION: Record<ApprovalChoice, ApprovalAction> = {
  once: ApprovalAction.ALLOW_ONCE,
  cache: ApprovalAction.ALLOW_AND_CACHE,
  deny: ApprovalAction.DENY,
};

const SUCCESS: Record<ApprovalChoice, string> = {
  once: "Request approved (once)",
  cache: "Request approved",
  deny: "Request denied",
};

/** Resolves an approval bound to the digest and policy version the user saw. */
export async function resolveApproval(p: PendingView, choice: ApprovalChoice): Promise<void> {
  if (busy().has(p.key)) return;
  setBusy((s) => new Set(s).add(p.key));
  try {
    await api.approvals.resolvePending({
      proxy: p.approval.proxyId || p.proxyName,
      approvalId: p.approval.id,
      action: ACTION[choice],
      expectedArgumentsDigest: p.approval.argumentsDigest,
      expectedPolicyVersion: p.approval.policyVersion,
    });
    toast("success", choice === "cache" && !p.approval.canCache ? SUCCESS.once : SUCCESS[choice]);
  } catch (e) {
    const d = describeError(e);
    if (d.connectCode === Code.NotFound) return; // Already resolved elsewhere; the feed removes it.
    if (d.connectCode === Code.Unauthenticated) toast("error", "Login required to approve/deny requests");
    else toast("error", d.message);
  } finally {
    setBusy((s) => {
      const n = new Set(s);
      n.delete(p.key);
      return n;
    });
  }
}

export async function deleteCachedApproval(proxyName: string, entry: CachedView): Promise<void> {
  try {
    await api.approvals.deleteCached({ proxy: proxyName, subjectId: entry.subjectId, toolName: entry.toolName, path: entry.path });
    feed.removeCachedLocally(proxyName, entry.key);
    toast("success", "Cached approval deleted");
  } catch (e) {
    const d = describeError(e);
    if (d.connectCode === Code.NotFound) {
      feed.removeCachedLocally(proxyName, entry.key);
      return;
    }
    toast("error", `Failed to delete cached approval: ${d.message}`);
  }
}

export async function clearCachedApprovals(proxyName: string): Promise<void> {
  try {
    const res = await api.approvals.clearCached({ proxy: proxyName });
    feed.clearCachedLocally(proxyName);
    toast("success", `Cleared ${res.cleared} cached approval${res.cleared === 1 ? "" : "s"}`);
  } catch (e) {
    toast("error", `Failed to clear cached approvals: ${describeError(e).message}`);
  }
}
