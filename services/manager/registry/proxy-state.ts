import { clone, create } from "@bufbuild/protobuf";
import { timestampNow } from "@bufbuild/protobuf/wkt";
import { CachedApprovalsSchema, PendingApprovalSchema } from "../../../lib/gen/mcpacp/common/v1/approval_pb.ts";
import type { ProxyEvent } from "../../../lib/gen/mcpacp/common/v1/event_pb.ts";
import { StateSnapshotSchema, type StateSnapshot } from "../../../lib/gen/mcpacp/common/v1/snapshot_pb.ts";
import { ProxyStatsSchema } from "../../../lib/gen/mcpacp/common/v1/stats_pb.ts";

/**
 * The manager's copy of one proxy's live state (pending approvals, approval cache, stats),
 * rebuilt from the proxy's snapshots and kept current by applying its events, so a new dashboard
 * subscriber gets a snapshot without a round trip to the proxy.
 */
export class ProxyState {
  private current: StateSnapshot = create(StateSnapshotSchema, {});
  private received = false;

  /** True once the proxy has sent a snapshot since it attached. */
  get hasSnapshot(): boolean {
    return this.received;
  }

  replace(snapshot: StateSnapshot): void {
    this.current = clone(StateSnapshotSchema, snapshot);
    this.received = true;
  }

  /** Applies the state change an event describes; events that change no cached state are ignored. */
  apply(payload: ProxyEvent["payload"]): void {
    const state = this.current;
    switch (payload.case) {
      case "snapshot":
        this.replace(payload.value);
        return;
      case "cachedSnapshot":
        state.cached = clone(CachedApprovalsSchema, payload.value);
        return;
      case "statsUpdated":
        state.stats = clone(ProxyStatsSchema, payload.value);
        return;
      case "pendingCreated": {
        const approval = payload.value.approval;
        if (approval === undefined) return;
        state.pending = state.pending.filter((p) => p.id !== approval.id);
        state.pending.push(clone(PendingApprovalSchema, approval));
        return;
      }
      case "pendingResolved":
        this.removePending(payload.value.resolution?.approvalId);
        return;
      case "pendingTimeout":
      case "pendingCancelled":
        this.removePending(payload.value.expiry?.approvalId);
        return;
      case "pendingNotFound":
        this.removePending(payload.value.approvalId);
        return;
      case "cacheCleared":
        if (state.cached !== undefined) state.cached.approvals = [];
        return;
      case "cacheEntryDeleted": {
        const { subjectId, toolName, path } = payload.value;
        if (state.cached !== undefined) {
          state.cached.approvals = state.cached.approvals.filter(
            (a) => !(a.subjectId === subjectId && a.toolName === toolName && a.path === path),
          );
        }
        return;
      }
      case "policyReloaded":
        state.policyVersion = payload.value.policyVersion;
        return;
      default:
        return;
    }
  }

  /** A copy of the current state, stamped with the time it was taken. */
  view(): StateSnapshot {
    const copy = clone(StateSnapshotSchema, this.current);
    copy.takenAt = timestampNow();
    return copy;
  }

  private removePending(approvalId: string | undefined): void {
    if (approvalId === undefined || approvalId === "") return;
    this.current.pending = this.current.pending.filter((p) => p.id !== approvalId);
  }
}
