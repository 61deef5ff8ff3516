import { describe, expect, test } from "bun:test";
import { hitlRecordFields } from "./record-fields.ts";

const alice = { subjectId: "alice", channel: "cli" as const };

describe("hitlRecordFields", () => {
  test("maps every outcome to the decision record's HITL fields", () => {
    expect(hitlRecordFields({ kind: "allow_cached", reason: "cache_hit", approvalId: "a", approver: alice, waitMs: 0 })).toEqual({
      hitlOutcome: "user_allowed",
      hitlCacheHit: true,
      hitlApproverId: "alice",
      hitlWaitMs: 0,
      approvalId: "a",
      forward: true,
    });
    expect(hitlRecordFields({ kind: "allow_once", reason: "approved", approvalId: "b", approver: alice, waitMs: 12 })).toMatchObject({ hitlOutcome: "user_allowed_once", hitlCacheHit: false, hitlWaitMs: 12, forward: true });
    expect(hitlRecordFields({ kind: "allow_cached", reason: "approved", approvalId: "b", approver: alice, waitMs: 12 }).hitlOutcome).toBe("user_allowed");
    expect(hitlRecordFields({ kind: "deny", reason: "denied", approvalId: "c", approver: alice, waitMs: 3 })).toMatchObject({ hitlOutcome: "user_denied", forward: false });
    expect(hitlRecordFields({ kind: "deny", reason: "timeout", approvalId: "d", approver: null, waitMs: 60_000 })).toMatchObject({ hitlOutcome: "timeout", hitlApproverId: null, approvalId: "d" });
    expect(hitlRecordFields({ kind: "deny", reason: "no_approver", approvalId: null, approver: null, waitMs: 0 }).hitlOutcome).toBe("no_approver");
    expect(hitlRecordFields({ kind: "deny", reason: "queue_full", approvalId: null, approver: null, waitMs: 0 }).hitlOutcome).toBe("no_approver");
    expect(hitlRecordFields({ kind: "deny", reason: "cancelled", approvalId: "e", approver: null, waitMs: 5, cancelReason: "x" }).hitlOutcome).toBe("cancelled");
  });
});
