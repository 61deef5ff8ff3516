// Shapes of the HITL domain: what a pending approval holds, how it ends, and what watchers see.
// Plain data (epoch-ms timestamps); proto.ts turns them into mcpacp.common.v1 messages.
import type { JsonObject } from "@bufbuild/protobuf";
import type { SideEffect } from "../../../lib/policy/index.ts";

export type ApprovalChannel = "dashboard" | "cli" | "native_dialog" | "unspecified";

/** Who resolved an approval (written to the audit log with the decision). */
export interface Approver {
  /** OIDC sub or local OS user; must equal the approval's subject. */
  subjectId: string;
  displayName?: string;
  channel: ApprovalChannel;
  /** e.g. "dashboard 127.0.0.1:8765" or "tty /dev/pts/3". */
  client?: string;
}

/** What a human chose. allow_and_cache acts as allow_once when the approval is not cacheable. */
export type ApprovalAction = "allow_once" | "allow_and_cache" | "deny";

/** What the enforcement point asks a human about. */
export interface ApprovalRequestInput {
  subjectId: string;
  /** Backend server name (config backend.server_name). */
  backendId: string;
  /** MCP method, e.g. "tools/call". */
  method: string;
  /** Null when the request names no tool (stored and shown as "unknown"). */
  toolName: string | null;
  /** The full request arguments: previewed (redacted) for the approver and digested. */
  arguments: unknown;
  /** Every normalised path the request touches, primary first (as the matcher saw them). */
  paths: readonly string[];
  sourcePath?: string | null;
  destPath?: string | null;
  /** The tool's side effects; null when unknown. */
  sideEffects: readonly SideEffect[] | null;
  /** Id of the hitl rule that decided (the decision's final rule). */
  matchedRuleId: string;
  /** Why approval is needed, for display (rule description or breach reason). */
  reason?: string | null;
  policyVersion: string;
  /** JSON-RPC id of the held request, as a string. */
  requestId: string;
  /** hitl.timeout_seconds. */
  timeoutSeconds: number;
  /** shouldCacheApproval(...) of the request, and false for rate-limit breaches. */
  canCache: boolean;
}

/** A request waiting for a human, as listed and broadcast. */
export interface PendingApprovalView {
  /** 16 lowercase hex characters. */
  id: string;
  subjectId: string;
  backendId: string;
  method: string;
  /** "unknown" when the request names no tool. */
  toolName: string;
  path: string | null;
  sourcePath: string | null;
  destPath: string | null;
  paths: readonly string[];
  sideEffects: readonly SideEffect[];
  argumentsPreview: JsonObject;
  /** "sha256:<64 hex>" over the canonical JSON of the full arguments. */
  argumentsDigest: string;
  matchedRuleId: string;
  reason: string;
  policyVersion: string;
  requestId: string;
  createdAtMs: number;
  expiresAtMs: number;
  timeoutSeconds: number;
  canCache: boolean;
  /** 0 when canCache is false. */
  cacheTtlSeconds: number;
}

export type ResolutionOutcome = "allowed_and_cached" | "allowed_once" | "denied";

export interface ApprovalResolutionView {
  approvalId: string;
  action: ApprovalAction;
  /** What happened: allow_and_cache on a non-cacheable (or stale) approval is allowed_once. */
  outcome: ResolutionOutcome;
  approver: Approver;
  resolvedAtMs: number;
}

export interface ApprovalEndView {
  approvalId: string;
  outcome: "timed_out" | "cancelled";
  /** Why it was cancelled ("client_cancelled", "approver_lost", "proxy_shutdown"…); "" on timeout. */
  reason: string;
  endedAtMs: number;
}

/** A change in the set of pending approvals. */
export type ApprovalEvent =
  | { kind: "created"; approval: PendingApprovalView }
  | { kind: "resolved"; resolution: ApprovalResolutionView }
  | { kind: "expired"; end: ApprovalEndView }
  | { kind: "cancelled"; end: ApprovalEndView };

/** One item of a WatchApprovals feed: the current list first, then events. */
export type ApprovalFeedItem = { kind: "current"; approvals: PendingApprovalView[] } | ApprovalEvent;

export type ApprovalOutcomeKind = "allow_once" | "allow_cached" | "deny";

export type ApprovalOutcomeReason =
  /** A human allowed (kind allow_once or allow_cached). */
  | "approved"
  /** A human denied. */
  | "denied"
  /** Nobody decided within timeoutSeconds. */
  | "timeout"
  /** Nobody could be asked (no watcher, no dashboard), or the last approver left. */
  | "no_approver"
  /** The request's signal fired (client cancelled, backend died) or the broker closed. */
  | "cancelled"
  /** A cached approval covered the request; nobody was asked. */
  | "cache_hit"
  /** Too many approvals were already waiting. */
  | "queue_full";

/** How a request for approval ended. Only allow_once and allow_cached may be forwarded. */
export interface ApprovalOutcome {
  kind: ApprovalOutcomeKind;
  reason: ApprovalOutcomeReason;
  /**
   * The pending approval's id; on a cache hit, the id of the approval that created the entry;
   * null when no approval was created (no_approver, queue_full, cancelled before creation).
   */
  approvalId: string | null;
  /** Who decided (on a cache hit, who allowed the cached approval); null otherwise. */
  approver: Approver | null;
  /** Time spent waiting for a human (0 for cache hits and immediate refusals). */
  waitMs: number;
  /** The cancel reason when reason is "cancelled" or an approver loss; undefined otherwise. */
  cancelReason?: string;
}
