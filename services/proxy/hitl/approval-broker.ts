// Human approval of held requests (spec policy.md §7, manager.md §7; design §4). A request asks
// the broker; the broker answers from the approval cache, refuses at once when nobody could be
// asked, or holds a pending approval until a human resolves it, the timeout passes, the request
// is cancelled, or the last approver leaves. Each pending approval ends exactly once: every end
// path removes it from the map first, and only the path that removed it emits and settles.
import type { ApprovalCache } from "./approval-cache.ts";
import { type CancelTimer, type HitlClock, systemClock } from "./clock.ts";
import { HitlError, HitlErrorCode } from "./errors.ts";
import { FeedQueue } from "./feed-queue.ts";
import { argumentsDigest, argumentsPreview } from "./preview.ts";
import type {
  ApprovalAction,
  ApprovalEndView,
  ApprovalEvent,
  ApprovalFeedItem,
  ApprovalOutcome,
  ApprovalRequestInput,
  ApprovalResolutionView,
  Approver,
  PendingApprovalView,
} from "./types.ts";
import { UNKNOWN_TOOL } from "./approval-cache.ts";

export const DEFAULT_MAX_PENDING = 100;
export const DEFAULT_APPROVER_LOSS_GRACE_MS = 10_000;
export const DEFAULT_WATCH_CAPACITY = 1000;
const RECENTLY_ENDED_LIMIT = 1024;
const MAX_TIMEOUT_SECONDS = 86_400;

export const CANCEL_REASON_APPROVER_LOST = "approver_lost";
export const CANCEL_REASON_SHUTDOWN = "proxy_shutdown";
export const CANCEL_REASON_REQUEST = "request_cancelled";

export interface ApprovalBrokerOptions {
  cache: ApprovalCache;
  clock?: HitlClock;
  /** Approvals allowed to wait at once; more are denied with reason queue_full (default 100). */
  maxPending?: number;
  /**
   * When the last approver leaves (watcher gone, dashboard closed), pending approvals wait this
   * long for one to come back (a page reload, a watcher reconnect), then end as no_approver.
   */
  approverLossGraceMs?: number;
  /** Refuse resolutions by anyone but the approval's subject (default true). */
  requireApproverSubject?: boolean;
  /** Events a watcher may fall behind before its feed is ended (default 1000). */
  watchCapacity?: number;
  /** An event listener threw; the broker carries on. */
  onListenerError?: (error: unknown) => void;
}

export interface ResolveOptions {
  approver: Approver;
  /** The arguments_digest the approver saw; refused as stale when it differs. Empty = unchecked. */
  expectedDigest?: string;
  /** The policy_version the approver saw; refused as stale when it differs. Empty = unchecked. */
  expectedPolicyVersion?: string;
}

export interface WatchOptions {
  /** Ends the feed when it fires (the stream's cancellation). */
  signal?: AbortSignal;
  /** Whether this watcher counts as an approver being present (default true). */
  countsAsApprover?: boolean;
  /** For logs: who watches. */
  label?: string;
}

/** A registered approver presence; release it when that approver goes away. */
export interface PresenceHandle {
  readonly label: string;
  release(): void;
}

type EndKind = "resolved" | "timed_out" | "cancelled";

interface PendingEntry {
  view: PendingApprovalView;
  createdMono: number;
  cancelTimer: CancelTimer;
  detachAbort: () => void;
  settle: (outcome: ApprovalOutcome) => void;
}

const ACTIONS: ReadonlySet<string> = new Set<ApprovalAction>(["allow_once", "allow_and_cache", "deny"]);

function randomApprovalId(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(8))).toString("hex");
}

function abortReason(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  return typeof reason === "string" && reason !== "" ? reason : CANCEL_REASON_REQUEST;
}

function validateInput(input: ApprovalRequestInput): void {
  const t = input.timeoutSeconds;
  if (typeof t !== "number" || !Number.isFinite(t) || t <= 0 || t > MAX_TIMEOUT_SECONDS) {
    throw new HitlError(HitlErrorCode.InvalidRequest, `HITL timeout must be between 0 and ${MAX_TIMEOUT_SECONDS} seconds, got ${String(t)} (check hitl.timeout_seconds in config.json)`);
  }
  if (typeof input.subjectId !== "string" || input.subjectId === "") {
    throw new HitlError(HitlErrorCode.InvalidRequest, "An approval request needs the subject id of the requester");
  }
  if (typeof input.policyVersion !== "string" || typeof input.matchedRuleId !== "string") {
    throw new HitlError(HitlErrorCode.InvalidRequest, "An approval request needs the policy version and the matched rule id");
  }
}

export class ApprovalBroker {
  readonly cache: ApprovalCache;
  private readonly clock: HitlClock;
  private readonly maxPending: number;
  private readonly graceMs: number;
  private readonly requireSubject: boolean;
  private readonly watchCapacity: number;
  private readonly onListenerError: (error: unknown) => void;

  private readonly pending = new Map<string, PendingEntry>();
  private readonly recentlyEnded = new Map<string, EndKind>();
  private readonly listeners = new Set<(event: ApprovalEvent) => void>();
  private readonly presences = new Set<symbol>();
  private readonly feeds = new Set<FeedQueue<ApprovalFeedItem>>();
  private dashboardPresent = false;
  private cancelGrace: CancelTimer | null = null;
  private isClosed = false;

  constructor(options: ApprovalBrokerOptions) {
    this.cache = options.cache;
    this.clock = options.clock ?? systemClock;
    this.maxPending = options.maxPending ?? DEFAULT_MAX_PENDING;
    this.graceMs = options.approverLossGraceMs ?? DEFAULT_APPROVER_LOSS_GRACE_MS;
    this.requireSubject = options.requireApproverSubject ?? true;
    this.watchCapacity = options.watchCapacity ?? DEFAULT_WATCH_CAPACITY;
    this.onListenerError = options.onListenerError ?? (() => {});
    if (!Number.isSafeInteger(this.maxPending) || this.maxPending < 1) {
      throw new HitlError(HitlErrorCode.InvalidRequest, `maxPending must be a positive integer, got ${this.maxPending}`);
    }
    if (!Number.isSafeInteger(this.watchCapacity) || this.watchCapacity < 1) {
      throw new HitlError(HitlErrorCode.InvalidRequest, `watchCapacity must be a positive integer, got ${this.watchCapacity}`);
    }
    if (!Number.isFinite(this.graceMs) || this.graceMs < 0) {
      throw new HitlError(HitlErrorCode.InvalidRequest, `approverLossGraceMs must be 0 or more, got ${this.graceMs}`);
    }
  }

  // ---- approver presence -------------------------------------------------------------------

  /** Whether a human could be asked right now (a watcher attached or a dashboard subscribed). */
  get approverPresent(): boolean {
    return this.presences.size > 0 || this.dashboardPresent;
  }

  /** Registers an approver (e.g. an `approvals watch` stream); release it when it goes away. */
  addPresence(label: string): PresenceHandle {
    const token = Symbol(label);
    this.presences.add(token);
    this.presenceChanged();
    let released = false;
    return {
      label,
      release: () => {
        if (released) return;
        released = true;
        this.presences.delete(token);
        this.presenceChanged();
      },
    };
  }

  /** Set by the manager link from its UiStatus (a browser subscribed to the dashboard). */
  setDashboardPresent(present: boolean): void {
    this.dashboardPresent = present;
    this.presenceChanged();
  }

  private presenceChanged(): void {
    if (this.approverPresent) {
      this.cancelGrace?.();
      this.cancelGrace = null;
      return;
    }
    if (this.cancelGrace !== null || this.pending.size === 0 || this.isClosed) return;
    this.cancelGrace = this.clock.setTimer(() => {
      this.cancelGrace = null;
      if (!this.approverPresent) this.cancelAll(CANCEL_REASON_APPROVER_LOST);
    }, this.graceMs);
  }

  // ---- requests ----------------------------------------------------------------------------

  /**
   * Asks for approval of a held request. Resolves (never rejects, except HitlError(InvalidRequest)
   * for a malformed input) with how it ended; only allow_once and allow_cached may be forwarded.
   * `signal` withdraws the approval (client cancel, backend death, shutdown); a string
   * `signal.reason` becomes the cancel reason.
   */
  async request(input: ApprovalRequestInput, signal?: AbortSignal): Promise<ApprovalOutcome> {
    if (this.isClosed) return { kind: "deny", reason: "cancelled", approvalId: null, approver: null, waitMs: 0, cancelReason: CANCEL_REASON_SHUTDOWN };
    validateInput(input);
    if (signal?.aborted) return { kind: "deny", reason: "cancelled", approvalId: null, approver: null, waitMs: 0, cancelReason: abortReason(signal) };

    const hit = this.cache.lookup({
      subjectId: input.subjectId,
      toolName: input.toolName,
      paths: input.paths,
      policyVersion: input.policyVersion,
      ruleId: input.matchedRuleId,
    });
    const first = hit?.[0];
    if (first !== undefined) {
      return { kind: "allow_cached", reason: "cache_hit", approvalId: first.approvalId, approver: first.approver, waitMs: 0 };
    }
    if (!this.approverPresent) return { kind: "deny", reason: "no_approver", approvalId: null, approver: null, waitMs: 0 };
    if (this.pending.size >= this.maxPending) return { kind: "deny", reason: "queue_full", approvalId: null, approver: null, waitMs: 0 };

    const view = this.buildView(input);
    return new Promise<ApprovalOutcome>((settle) => {
      const entry: PendingEntry = {
        view,
        createdMono: this.clock.monotonicMs(),
        cancelTimer: () => {},
        detachAbort: () => {},
        settle,
      };
      this.pending.set(view.id, entry);
      entry.cancelTimer = this.clock.setTimer(() => this.timeOut(view.id), input.timeoutSeconds * 1000);
      if (signal !== undefined) {
        const onAbort = (): void => {
          this.cancel(view.id, abortReason(signal), "cancelled");
        };
        signal.addEventListener("abort", onAbort, { once: true });
        entry.detachAbort = () => signal.removeEventListener("abort", onAbort);
      }
      this.emit({ kind: "created", approval: view });
    });
  }

  private buildView(input: ApprovalRequestInput): PendingApprovalView {
    const createdAtMs = this.clock.epochMs();
    let id = randomApprovalId();
    while (this.pending.has(id) || this.recentlyEnded.has(id)) id = randomApprovalId();
    const paths = [...input.paths];
    return {
      id,
      subjectId: input.subjectId,
      backendId: input.backendId,
      method: input.method,
      toolName: input.toolName ?? UNKNOWN_TOOL,
      path: paths[0] ?? null,
      sourcePath: input.sourcePath ?? null,
      destPath: input.destPath ?? null,
      paths,
      sideEffects: input.sideEffects === null ? [] : [...input.sideEffects],
      argumentsPreview: argumentsPreview(input.arguments),
      argumentsDigest: argumentsDigest(input.arguments),
      matchedRuleId: input.matchedRuleId,
      reason: input.reason ?? "",
      policyVersion: input.policyVersion,
      requestId: input.requestId,
      createdAtMs,
      expiresAtMs: createdAtMs + input.timeoutSeconds * 1000,
      timeoutSeconds: input.timeoutSeconds,
      canCache: input.canCache,
      cacheTtlSeconds: input.canCache ? this.cache.ttlSeconds : 0,
    };
  }

  /** Removes a pending approval; returns it only to the one caller that actually removed it. */
  private take(id: string, how: EndKind): PendingEntry | null {
    const entry = this.pending.get(id);
    if (entry === undefined) return null;
    this.pending.delete(id);
    entry.cancelTimer();
    entry.detachAbort();
    this.recentlyEnded.set(id, how);
    if (this.recentlyEnded.size > RECENTLY_ENDED_LIMIT) {
      const oldest = this.recentlyEnded.keys().next();
      if (!oldest.done) this.recentlyEnded.delete(oldest.value);
    }
    return entry;
  }

  private waited(entry: PendingEntry): number {
    return Math.max(0, this.clock.monotonicMs() - entry.createdMono);
  }

  private endView(id: string, outcome: ApprovalEndView["outcome"], reason: string): ApprovalEndView {
    return { approvalId: id, outcome, reason, endedAtMs: this.clock.epochMs() };
  }

  private timeOut(id: string): void {
    const entry = this.take(id, "timed_out");
    if (entry === null) return;
    this.emit({ kind: "expired", end: this.endView(id, "timed_out", "") });
    entry.settle({ kind: "deny", reason: "timeout", approvalId: id, approver: null, waitMs: this.waited(entry) });
  }

  private cancel(id: string, cancelReason: string, outcomeReason: "cancelled" | "no_approver"): boolean {
    const entry = this.take(id, "cancelled");
    if (entry === null) return false;
    this.emit({ kind: "cancelled", end: this.endView(id, "cancelled", cancelReason) });
    entry.settle({ kind: "deny", reason: outcomeReason, approvalId: id, approver: null, waitMs: this.waited(entry), cancelReason });
    return true;
  }

  // ---- resolution --------------------------------------------------------------------------

  /**
   * A human's decision. Throws HitlError: NotFound (unknown id), AlreadyResolved (ended before,
   * e.g. lost a race with the timeout), Unauthorized (approver is not the subject), Stale
   * (expected digest or policy version differs), InvalidAction.
   */
  resolve(approvalId: string, action: ApprovalAction, options: ResolveOptions): ApprovalResolutionView {
    const entry = this.pending.get(approvalId);
    if (entry === undefined) {
      const ended = this.recentlyEnded.get(approvalId);
      if (ended !== undefined) {
        const how = ended === "timed_out" ? "timed out" : ended;
        throw new HitlError(HitlErrorCode.AlreadyResolved, `Approval ${approvalId} has already ended (${how}); nothing was changed`, { approvalId });
      }
      throw new HitlError(HitlErrorCode.NotFound, `No pending approval with id ${JSON.stringify(approvalId)}; list pending approvals to see the current ids`, { approvalId });
    }
    if (!ACTIONS.has(action)) {
      throw new HitlError(HitlErrorCode.InvalidAction, `Unknown approval action ${JSON.stringify(action)}; use allow_once, allow_and_cache or deny`, { approvalId });
    }
    const view = entry.view;
    if (this.requireSubject && options.approver.subjectId !== view.subjectId) {
      throw new HitlError(
        HitlErrorCode.Unauthorized,
        `Approver ${JSON.stringify(options.approver.subjectId)} may not resolve approval ${approvalId}: only its subject ${JSON.stringify(view.subjectId)} may`,
        { approvalId },
      );
    }
    if (options.expectedDigest && options.expectedDigest !== view.argumentsDigest) {
      throw new HitlError(HitlErrorCode.Stale, `Approval ${approvalId} holds other arguments than the ones shown (digest ${view.argumentsDigest}); list pending approvals again and decide on the current request`, { approvalId });
    }
    if (options.expectedPolicyVersion && options.expectedPolicyVersion !== view.policyVersion) {
      throw new HitlError(HitlErrorCode.Stale, `Approval ${approvalId} was made under policy ${view.policyVersion}, not ${options.expectedPolicyVersion}; list pending approvals again`, { approvalId });
    }

    const taken = this.take(approvalId, "resolved");
    if (taken === null) {
      throw new HitlError(HitlErrorCode.AlreadyResolved, `Approval ${approvalId} has already ended; nothing was changed`, { approvalId });
    }
    const approver: Approver = { ...options.approver };
    let outcome: ApprovalResolutionView["outcome"] = action === "deny" ? "denied" : "allowed_once";
    if (action === "allow_and_cache" && view.canCache) {
      const stored = this.cache.store({
        subjectId: view.subjectId,
        toolName: view.toolName,
        paths: view.paths,
        policyVersion: view.policyVersion,
        ruleId: view.matchedRuleId,
        requestId: view.requestId,
        approvalId,
        approver,
      });
      if (stored.length > 0) outcome = "allowed_and_cached";
    }
    const resolution: ApprovalResolutionView = { approvalId, action, outcome, approver, resolvedAtMs: this.clock.epochMs() };
    this.emit({ kind: "resolved", resolution });
    const waitMs = this.waited(taken);
    if (outcome === "denied") taken.settle({ kind: "deny", reason: "denied", approvalId, approver, waitMs });
    else taken.settle({ kind: outcome === "allowed_and_cached" ? "allow_cached" : "allow_once", reason: "approved", approvalId, approver, waitMs });
    return resolution;
  }

  // ---- listing and feeds -------------------------------------------------------------------

  /** Approvals waiting now, oldest first. */
  listPending(): PendingApprovalView[] {
    return [...this.pending.values()].map((e) => e.view);
  }

  getPending(approvalId: string): PendingApprovalView | null {
    return this.pending.get(approvalId)?.view ?? null;
  }

  /** Every approval event as it happens (for the manager link); returns the unsubscribe function. */
  subscribe(listener: (event: ApprovalEvent) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /**
   * A WatchApprovals feed: first {kind:"current"} with the pending list, then every event, with
   * no gap between the two. By default the watcher counts as a present approver until the feed
   * ends (consumer stops, signal fires, broker closes, or it falls watchCapacity events behind).
   */
  watch(options: WatchOptions = {}): AsyncIterableIterator<ApprovalFeedItem> {
    let unsubscribe = (): void => {};
    let presence: PresenceHandle | null = null;
    let detachSignal = (): void => {};
    const feed: FeedQueue<ApprovalFeedItem> = new FeedQueue<ApprovalFeedItem>(this.watchCapacity, () => {
      unsubscribe();
      detachSignal();
      this.feeds.delete(feed);
      presence?.release();
    });
    feed.push({ kind: "current", approvals: this.listPending() });
    if (this.isClosed) {
      feed.end();
      return feed;
    }
    const signal = options.signal;
    if (signal?.aborted) {
      feed.end();
      return feed;
    }
    this.feeds.add(feed);
    unsubscribe = this.subscribe((event) => feed.push(event));
    if (options.countsAsApprover ?? true) presence = this.addPresence(options.label ?? "watcher");
    if (signal !== undefined) {
      const onAbort = (): void => feed.end();
      signal.addEventListener("abort", onAbort, { once: true });
      detachSignal = () => signal.removeEventListener("abort", onAbort);
    }
    return feed;
  }

  private emit(event: ApprovalEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }

  // ---- shutdown ----------------------------------------------------------------------------

  /** Cancels every pending approval (event `cancelled` with `reason`); returns how many. */
  cancelAll(reason: string): number {
    const outcomeReason = reason === CANCEL_REASON_APPROVER_LOST ? "no_approver" : "cancelled";
    let count = 0;
    for (const id of [...this.pending.keys()]) if (this.cancel(id, reason, outcomeReason)) count += 1;
    return count;
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /** Proxy stopping: cancel every pending approval, end every feed, refuse new requests. */
  close(reason: string = CANCEL_REASON_SHUTDOWN): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.cancelGrace?.();
    this.cancelGrace = null;
    this.cancelAll(reason);
    for (const feed of [...this.feeds]) feed.end();
  }
}
