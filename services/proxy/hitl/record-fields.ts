// The HITL part of a decision record, from an approval outcome: what the audit log and the stats
// need (spec policy.md §7.2: outcome, cache hit, approver, response time).
import type { ApprovalOutcome } from "./types.ts";

/**
 * The spec's hitl_outcome values plus the two the port adds: no_approver (nobody could be asked)
 * and cancelled (the request went away first). queue_full is recorded as no_approver.
 */
export type HitlRecordOutcome = "user_allowed" | "user_allowed_once" | "user_denied" | "timeout" | "no_approver" | "cancelled";

export interface HitlRecordFields {
  hitlOutcome: HitlRecordOutcome;
  hitlCacheHit: boolean;
  /** Subject id of whoever decided (or allowed the cached approval); null when nobody did. */
  hitlApproverId: string | null;
  /** Time waiting for a human, ms (0 for a cache hit: spec manager.md §8). */
  hitlWaitMs: number;
  /** The approval's id (the cached approval's on a hit); null when none was created. */
  approvalId: string | null;
  /** Whether the held request may now be forwarded. */
  forward: boolean;
}

export function hitlRecordFields(outcome: ApprovalOutcome): HitlRecordFields {
  const base = {
    hitlCacheHit: outcome.reason === "cache_hit",
    hitlApproverId: outcome.approver?.subjectId ?? null,
    hitlWaitMs: outcome.reason === "cache_hit" ? 0 : outcome.waitMs,
    approvalId: outcome.approvalId,
    forward: outcome.kind !== "deny",
  };
  switch (outcome.reason) {
    case "approved":
    case "cache_hit":
      return { ...base, hitlOutcome: outcome.kind === "allow_once" ? "user_allowed_once" : "user_allowed" };
    case "denied":
      return { ...base, hitlOutcome: "user_denied" };
    case "timeout":
      return { ...base, hitlOutcome: "timeout" };
    case "no_approver":
    case "queue_full":
      return { ...base, hitlOutcome: "no_approver" };
    case "cancelled":
      return { ...base, hitlOutcome: "cancelled" };
  }
}
