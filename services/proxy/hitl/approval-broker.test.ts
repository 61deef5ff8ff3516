import { describe, expect, test } from "bun:test";
import { ApprovalBroker, CANCEL_REASON_APPROVER_LOST, CANCEL_REASON_SHUTDOWN } from "./approval-broker.ts";
import { ApprovalCache } from "./approval-cache.ts";
import { HitlError, HitlErrorCode } from "./errors.ts";
import { ManualClock } from "./manual-clock.ts";
import { argumentsDigest } from "./preview.ts";
import type { ApprovalEvent, ApprovalFeedItem, ApprovalOutcome, ApprovalRequestInput, Approver } from "./types.ts";

const alice: Approver = { subjectId: "alice", channel: "cli", client: "tty /dev/pts/1" };

function input(overrides: Partial<ApprovalRequestInput> = {}): ApprovalRequestInput {
  return {
    subjectId: "alice",
    backendId: "fs",
    method: "tools/call",
    toolName: "read_file",
    arguments: { path: "/data/a.txt", token: "secret-value" },
    paths: ["/data/a.txt"],
    sideEffects: ["fs_read"],
    matchedRuleId: "rule_hitl1",
    reason: "reads need a human",
    policyVersion: "v1",
    requestId: "42",
    timeoutSeconds: 60,
    canCache: true,
    ...overrides,
  };
}

function setup(options: { maxPending?: number; watchCapacity?: number; graceMs?: number } = {}) {
  const clock = new ManualClock();
  const cache = new ApprovalCache({ ttlSeconds: 600, clock });
  const broker = new ApprovalBroker({
    cache,
    clock,
    maxPending: options.maxPending,
    watchCapacity: options.watchCapacity,
    approverLossGraceMs: options.graceMs ?? 5000,
  });
  const events: ApprovalEvent[] = [];
  broker.subscribe((e) => events.push(e));
  return { clock, cache, broker, events };
}

/** Starts a request and returns its id (the created event) and the outcome promise. */
function ask(broker: ApprovalBroker, events: ApprovalEvent[], overrides: Partial<ApprovalRequestInput> = {}, signal?: AbortSignal) {
  const before = events.length;
  const outcome = broker.request(input(overrides), signal);
  const created = events.slice(before).find((e) => e.kind === "created");
  if (created?.kind !== "created") throw new Error("no pending approval was created");
  return { id: created.approval.id, approval: created.approval, outcome };
}

function terminalEvents(events: ApprovalEvent[], id: string): ApprovalEvent[] {
  return events.filter(
    (e) =>
      (e.kind === "resolved" && e.resolution.approvalId === id) || ((e.kind === "expired" || e.kind === "cancelled") && e.end.approvalId === id),
  );
}

function hitlCode(fn: () => unknown): HitlErrorCode {
  try {
    fn();
  } catch (error) {
    if (error instanceof HitlError) return error.code;
    throw error;
  }
  throw new Error("expected a HitlError");
}

describe("ApprovalBroker without an approver", () => {
  test("denies at once with no_approver and creates nothing", async () => {
    const { broker, events } = setup();
    const outcome = await broker.request(input());
    expect(outcome).toEqual({ kind: "deny", reason: "no_approver", approvalId: null, approver: null, waitMs: 0 });
    expect(events).toEqual([]);
    expect(broker.listPending()).toEqual([]);
  });
});

describe("ApprovalBroker with an approver present", () => {
  test("a pending approval carries what the approver needs", () => {
    const { broker, events } = setup();
    broker.addPresence("cli");
    const { approval } = ask(broker, events);
    expect(approval.id).toMatch(/^[0-9a-f]{16}$/);
    expect(approval).toMatchObject({
      subjectId: "alice",
      backendId: "fs",
      method: "tools/call",
      toolName: "read_file",
      path: "/data/a.txt",
      sideEffects: ["fs_read"],
      argumentsPreview: { path: "/data/a.txt", token: "[REDACTED]" },
      argumentsDigest: argumentsDigest({ path: "/data/a.txt", token: "secret-value" }),
      matchedRuleId: "rule_hitl1",
      reason: "reads need a human",
      policyVersion: "v1",
      requestId: "42",
      timeoutSeconds: 60,
      canCache: true,
      cacheTtlSeconds: 600,
    });
    expect(approval.expiresAtMs - approval.createdAtMs).toBe(60_000);
    expect(broker.listPending().map((p) => p.id)).toEqual([approval.id]);
  });

  test("allow once: forwarded, nothing cached", async () => {
    const { broker, events, cache, clock } = setup();
    broker.addPresence("cli");
    const { id, outcome } = ask(broker, events);
    clock.advance(1500);
    const resolution = broker.resolve(id, "allow_once", { approver: alice });
    expect(resolution).toMatchObject({ approvalId: id, action: "allow_once", outcome: "allowed_once", approver: alice });
    expect(await outcome).toEqual({ kind: "allow_once", reason: "approved", approvalId: id, approver: alice, waitMs: 1500 });
    expect(cache.size).toBe(0);
    expect(broker.listPending()).toEqual([]);
    expect(clock.pendingTimers).toBe(0);
  });

  test("allow and cache: stored, and the next identical request hits the cache without asking", async () => {
    const { broker, events, cache } = setup();
    const presence = broker.addPresence("cli");
    const { id, outcome } = ask(broker, events);
    expect(broker.resolve(id, "allow_and_cache", { approver: alice }).outcome).toBe("allowed_and_cached");
    expect((await outcome).kind).toBe("allow_cached");
    expect(cache.list().map((e) => [e.path, e.approvalId])).toEqual([["/data/a.txt", id]]);
    presence.release();
    const count = events.length;
    const hit = await broker.request(input({ arguments: { path: "/data/a.txt", other: 1 } }));
    expect(hit).toEqual({ kind: "allow_cached", reason: "cache_hit", approvalId: id, approver: alice, waitMs: 0 });
    expect(events.length).toBe(count);
  });

  test("allow and cache on a non-cacheable approval acts as allow once", async () => {
    const { broker, events, cache } = setup();
    broker.addPresence("cli");
    const { id, approval, outcome } = ask(broker, events, { canCache: false, sideEffects: ["code_exec"] });
    expect(approval.cacheTtlSeconds).toBe(0);
    expect(broker.resolve(id, "allow_and_cache", { approver: alice }).outcome).toBe("allowed_once");
    expect((await outcome).kind).toBe("allow_once");
    expect(cache.size).toBe(0);
  });

  test("an approval resolved after a policy reload is not cached", async () => {
    const { broker, events, cache } = setup();
    broker.addPresence("cli");
    const { id, outcome } = ask(broker, events);
    cache.policyReloaded("v2");
    expect(broker.resolve(id, "allow_and_cache", { approver: alice }).outcome).toBe("allowed_once");
    expect((await outcome).kind).toBe("allow_once");
    expect(cache.size).toBe(0);
  });

  test("deny", async () => {
    const { broker, events } = setup();
    broker.addPresence("cli");
    const { id, outcome } = ask(broker, events);
    expect(broker.resolve(id, "deny", { approver: alice }).outcome).toBe("denied");
    expect(await outcome).toMatchObject({ kind: "deny", reason: "denied", approvalId: id, approver: alice });
    expect(terminalEvents(events, id).map((e) => e.kind)).toEqual(["resolved"]);
  });

  test("no decision within the timeout: denied with reason timeout", async () => {
    const { broker, events, clock } = setup();
    broker.addPresence("cli");
    const { id, outcome } = ask(broker, events);
    clock.advance(59_999);
    expect(broker.getPending(id)).not.toBeNull();
    clock.advance(1);
    expect(await outcome).toEqual({ kind: "deny", reason: "timeout", approvalId: id, approver: null, waitMs: 60_000 });
    expect(terminalEvents(events, id)).toEqual([{ kind: "expired", end: { approvalId: id, outcome: "timed_out", reason: "", endedAtMs: clock.epochMs() } }]);
    expect(broker.listPending()).toEqual([]);
  });

  test("a resolve racing the timeout yields exactly one terminal event", async () => {
    const { broker, events, clock } = setup();
    broker.addPresence("cli");
    // The timeout wins; a resolve issued from inside its event comes second.
    const first = ask(broker, events);
    const lateResolve: HitlErrorCode[] = [];
    const unsubscribe = broker.subscribe((e) => {
      if (e.kind === "expired") lateResolve.push(hitlCode(() => broker.resolve(first.id, "allow_once", { approver: alice })));
    });
    clock.advance(60_000);
    unsubscribe();
    expect(lateResolve).toEqual([HitlErrorCode.AlreadyResolved]);
    expect((await first.outcome).reason).toBe("timeout");
    expect(terminalEvents(events, first.id).map((e) => e.kind)).toEqual(["expired"]);

    // The resolve wins; the timer that would have fired is gone.
    const second = ask(broker, events);
    clock.advance(59_999);
    broker.resolve(second.id, "deny", { approver: alice });
    clock.advance(10_000);
    expect((await second.outcome).reason).toBe("denied");
    expect(terminalEvents(events, second.id).map((e) => e.kind)).toEqual(["resolved"]);
    expect(hitlCode(() => broker.resolve(second.id, "allow_once", { approver: alice }))).toBe(HitlErrorCode.AlreadyResolved);
  });

  test("a stale digest or policy version is refused and the approval keeps waiting", async () => {
    const { broker, events } = setup();
    broker.addPresence("cli");
    const { id, approval, outcome } = ask(broker, events);
    expect(hitlCode(() => broker.resolve(id, "allow_once", { approver: alice, expectedDigest: argumentsDigest({ path: "/other" }) }))).toBe(HitlErrorCode.Stale);
    expect(hitlCode(() => broker.resolve(id, "allow_once", { approver: alice, expectedPolicyVersion: "v0" }))).toBe(HitlErrorCode.Stale);
    expect(broker.getPending(id)).not.toBeNull();
    broker.resolve(id, "allow_once", { approver: alice, expectedDigest: approval.argumentsDigest, expectedPolicyVersion: "v1" });
    expect((await outcome).kind).toBe("allow_once");
  });

  test("refuses another subject, an unknown id and an unknown action", () => {
    const { broker, events } = setup();
    broker.addPresence("cli");
    const { id } = ask(broker, events);
    expect(hitlCode(() => broker.resolve(id, "allow_once", { approver: { subjectId: "mallory", channel: "dashboard" } }))).toBe(HitlErrorCode.Unauthorized);
    expect(hitlCode(() => broker.resolve("ffffffffffffffff", "allow_once", { approver: alice }))).toBe(HitlErrorCode.NotFound);
    expect(hitlCode(() => broker.resolve(id, "maybe" as never, { approver: alice }))).toBe(HitlErrorCode.InvalidAction);
    expect(broker.getPending(id)).not.toBeNull();
  });

  test("the request's abort signal cancels the approval", async () => {
    const { broker, events, clock } = setup();
    broker.addPresence("cli");
    const controller = new AbortController();
    const { id, outcome } = ask(broker, events, {}, controller.signal);
    clock.advance(250);
    controller.abort("client_cancelled");
    expect(await outcome).toEqual({ kind: "deny", reason: "cancelled", approvalId: id, approver: null, waitMs: 250, cancelReason: "client_cancelled" });
    expect(terminalEvents(events, id)).toMatchObject([{ kind: "cancelled", end: { outcome: "cancelled", reason: "client_cancelled" } }]);
    expect(hitlCode(() => broker.resolve(id, "allow_once", { approver: alice }))).toBe(HitlErrorCode.AlreadyResolved);
    expect(clock.pendingTimers).toBe(0);
  });

  test("an already aborted signal is refused before anything is created", async () => {
    const { broker, events } = setup();
    broker.addPresence("cli");
    const controller = new AbortController();
    controller.abort();
    expect(await broker.request(input(), controller.signal)).toMatchObject({ kind: "deny", reason: "cancelled", approvalId: null, cancelReason: "request_cancelled" });
    expect(events).toEqual([]);
  });

  test("past maxPending, further requests are denied with queue_full", async () => {
    const { broker, events } = setup({ maxPending: 1 });
    broker.addPresence("cli");
    ask(broker, events);
    expect((await broker.request(input({ requestId: "43" }))).reason).toBe("queue_full");
  });

  test("a malformed request is rejected", async () => {
    const { broker } = setup();
    broker.addPresence("cli");
    await expect(broker.request(input({ timeoutSeconds: 0 }))).rejects.toBeInstanceOf(HitlError);
    await expect(broker.request(input({ subjectId: "" }))).rejects.toBeInstanceOf(HitlError);
    expect(broker.listPending()).toEqual([]);
  });
});

describe("approver presence", () => {
  test("a dashboard subscription counts as an approver", async () => {
    const { broker, events } = setup();
    broker.setDashboardPresent(true);
    expect(broker.approverPresent).toBe(true);
    const { id, outcome } = ask(broker, events);
    broker.resolve(id, "allow_once", { approver: { subjectId: "alice", channel: "dashboard" } });
    expect((await outcome).kind).toBe("allow_once");
    broker.setDashboardPresent(false);
    expect((await broker.request(input())).reason).toBe("no_approver");
  });

  test("when the last approver leaves, waiting approvals end as no_approver after the grace period", async () => {
    const { broker, events, clock } = setup({ graceMs: 5000 });
    const presence = broker.addPresence("cli");
    const { id, outcome } = ask(broker, events);
    presence.release();
    clock.advance(4999);
    expect(broker.getPending(id)).not.toBeNull();
    clock.advance(1);
    expect(await outcome).toMatchObject({ kind: "deny", reason: "no_approver", approvalId: id, cancelReason: CANCEL_REASON_APPROVER_LOST });
    expect(terminalEvents(events, id)).toMatchObject([{ kind: "cancelled", end: { reason: CANCEL_REASON_APPROVER_LOST } }]);
  });

  test("an approver coming back within the grace period keeps approvals waiting", async () => {
    const { broker, events, clock } = setup({ graceMs: 5000 });
    broker.addPresence("cli").release();
    broker.addPresence("cli");
    const { id, outcome } = ask(broker, events);
    broker.setDashboardPresent(true);
    broker.setDashboardPresent(false);
    broker.setDashboardPresent(true);
    clock.advance(30_000);
    expect(broker.getPending(id)).not.toBeNull();
    broker.resolve(id, "deny", { approver: alice });
    expect((await outcome).reason).toBe("denied");
  });
});

describe("watch feed", () => {
  async function take(feed: AsyncIterator<ApprovalFeedItem>): Promise<ApprovalFeedItem> {
    const r = await feed.next();
    if (r.done) throw new Error("feed ended");
    return r.value;
  }

  test("current pending list first, then created, resolved, expired and cancelled", async () => {
    const { broker, events, clock } = setup();
    broker.setDashboardPresent(true);
    const early = ask(broker, events, { requestId: "1" });
    const feed = broker.watch({ label: "test" });
    const current = await take(feed);
    expect(current.kind).toBe("current");
    expect(current.kind === "current" && current.approvals.map((a) => a.id)).toEqual([early.id]);

    const controller = new AbortController();
    const late = ask(broker, events, { requestId: "2", timeoutSeconds: 5 });
    const third = ask(broker, events, { requestId: "3" }, controller.signal);
    broker.resolve(early.id, "allow_once", { approver: alice });
    clock.advance(5000);
    controller.abort("backend_died");
    const kinds: string[] = [];
    for (let i = 0; i < 5; i++) {
      const item = await take(feed);
      if (item.kind === "created") kinds.push(`created:${item.approval.requestId}`);
      else if (item.kind === "resolved") kinds.push(`resolved:${item.resolution.approvalId === early.id}`);
      else if (item.kind === "expired") kinds.push(`expired:${item.end.approvalId === late.id}`);
      else if (item.kind === "cancelled") kinds.push(`cancelled:${item.end.approvalId === third.id}:${item.end.reason}`);
      else kinds.push(item.kind);
    }
    expect(kinds).toEqual(["created:2", "created:3", "resolved:true", "expired:true", "cancelled:true:backend_died"]);
    await feed.return?.();
  });

  test("a watcher is an approver while it watches", async () => {
    const { broker, events, clock } = setup({ graceMs: 1000 });
    expect(broker.approverPresent).toBe(false);
    const controller = new AbortController();
    const feed = broker.watch({ signal: controller.signal });
    expect(broker.approverPresent).toBe(true);
    const { outcome } = ask(broker, events);
    controller.abort();
    expect(broker.approverPresent).toBe(false);
    clock.advance(1000);
    expect((await outcome).reason).toBe("no_approver");
    // The feed drains what it had when it ended, then stops.
    const kinds: string[] = [];
    for await (const item of feed) kinds.push(item.kind);
    expect(kinds).toEqual(["current", "created"]);
  });

  test("a passive watcher does not count as an approver", () => {
    const { broker } = setup();
    const feed = broker.watch({ countsAsApprover: false });
    expect(broker.approverPresent).toBe(false);
    void feed.return?.();
  });

  test("a watcher that falls too far behind is ended with WatchOverflow", async () => {
    const { broker, events } = setup({ watchCapacity: 2 });
    broker.setDashboardPresent(true);
    const feed = broker.watch({ countsAsApprover: false });
    for (let i = 0; i < 3; i++) ask(broker, events, { requestId: String(i) });
    const failure = await feed.next().then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(HitlError);
    expect((failure as HitlError).code).toBe(HitlErrorCode.WatchOverflow);
  });

  test("close cancels waiting approvals, ends feeds and refuses new requests", async () => {
    const { broker, events } = setup();
    const feed = broker.watch();
    await feed.next();
    const { id, outcome } = ask(broker, events);
    broker.close();
    expect(await outcome).toMatchObject({ kind: "deny", reason: "cancelled", approvalId: id, cancelReason: CANCEL_REASON_SHUTDOWN });
    const rest: ApprovalFeedItem[] = [];
    for await (const item of feed) rest.push(item);
    expect(rest.map((i) => i.kind)).toEqual(["created", "cancelled"]);
    const after: ApprovalOutcome = await broker.request(input());
    expect(after).toMatchObject({ kind: "deny", reason: "cancelled", cancelReason: CANCEL_REASON_SHUTDOWN });
  });
});
