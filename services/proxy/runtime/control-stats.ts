// GetStats and GetSnapshot: request counters of this run, the persisted latency windows, and the
// live approval state, read at the moment of the call.
import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { type StateSnapshot, StateSnapshotSchema } from "../../../lib/gen/mcpacp/common/v1/snapshot_pb.ts";
import type { ProxyStats } from "../../../lib/gen/mcpacp/common/v1/stats_pb.ts";
import { ProxyControl } from "../../../lib/gen/mcpacp/control/v1/control_pb.ts";
import type { PartialGrpcServiceImpl } from "../../../lib/rpc/index.ts";
import type { EnforcementCounters } from "../enforcement/types.ts";
import { cachedApprovalsMessage, pendingApprovalMessage } from "../hitl/index.ts";
import { EMPTY_LATENCY_SUMMARY, type LatencySummaries, proxyStatsMessage } from "../stats/index.ts";
import type { ApprovalControlState } from "./control-approvals.ts";

export interface StatsControlState {
  /** The pipeline's counters (zeros before it exists). */
  counters(): EnforcementCounters;
  /** The latency windows; null when the state database could not be opened. */
  latency: { summaries(): LatencySummaries } | null;
  /** clientInfo.name of the first `initialize`; "" before that. */
  clientName(): string;
}

const EMPTY_SUMMARIES: LatencySummaries = { proxy_total: EMPTY_LATENCY_SUMMARY, policy_eval: EMPTY_LATENCY_SUMMARY, hitl_wait: EMPTY_LATENCY_SUMMARY };

export function currentStats(state: StatsControlState, atMs: number = Date.now()): ProxyStats {
  return proxyStatsMessage(state.counters(), state.latency?.summaries() ?? EMPTY_SUMMARIES, atMs);
}

export function statsHandlers(stats: StatsControlState, approvals: ApprovalControlState): PartialGrpcServiceImpl<typeof ProxyControl> {
  return {
    getStats: () => ({ stats: currentStats(stats) }),
    getSnapshot: () => ({ snapshot: stateSnapshotMessage(stats, approvals) }),
  };
}

/** The live state in one message: GetSnapshot's answer and what the manager link sends after attach. */
export function stateSnapshotMessage(stats: StatsControlState, approvals: ApprovalControlState, now: number = Date.now()): StateSnapshot {
  return create(StateSnapshotSchema, {
    pending: approvals.broker.listPending().map((view) => pendingApprovalMessage(view, approvals.identity)),
    cached: cachedApprovalsMessage(approvals.cache.list(), approvals.cache.ttlSeconds),
    stats: currentStats(stats, now),
    clientId: stats.clientName(),
    policyVersion: approvals.policyVersion(),
    takenAt: timestampFromMs(now),
  });
}
