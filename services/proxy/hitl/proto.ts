// HITL data → mcpacp messages (ProxyControl replies, WatchApprovals items, ProxyEvents for the
// manager link), and the few messages → HITL data conversions the control service needs.
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import {
  ApprovalAction as ApprovalActionEnum,
  ApprovalChannel as ApprovalChannelEnum,
  type ApprovalExpiry,
  ApprovalExpirySchema,
  ApprovalOutcome as ApprovalOutcomeEnum,
  type ApprovalResolution,
  ApprovalResolutionSchema,
  type Approver as ApproverMessage,
  ApproverSchema,
  type CachedApproval,
  type CachedApprovals,
  CachedApprovalSchema,
  CachedApprovalsSchema,
  type PendingApproval,
  PendingApprovalSchema,
} from "../../../lib/gen/mcpacp/common/v1/approval_pb.ts";
import { EventType, type ProxyEvent, ProxyEventSchema } from "../../../lib/gen/mcpacp/common/v1/event_pb.ts";
import { SideEffect as SideEffectEnum } from "../../../lib/gen/mcpacp/common/v1/policy_pb.ts";
import { Severity } from "../../../lib/gen/mcpacp/common/v1/severity_pb.ts";
import { type WatchApprovalsResponse, WatchApprovalsResponseSchema } from "../../../lib/gen/mcpacp/control/v1/control_pb.ts";
import type { SideEffect } from "../../../lib/policy/index.ts";
import { RpcCode, RpcError } from "../../../lib/rpc/index.ts";
import type { CacheChange, CachedApprovalView } from "./approval-cache.ts";
import { type HitlError, HitlErrorCode } from "./errors.ts";
import type {
  ApprovalAction,
  ApprovalChannel,
  ApprovalEndView,
  ApprovalEvent,
  ApprovalFeedItem,
  ApprovalResolutionView,
  Approver,
  PendingApprovalView,
} from "./types.ts";

/** The proxy a message comes from. */
export interface ProxyIdentity {
  /** px_<8 hex>:<slug> */
  proxyId: string;
  proxyName: string;
}

const SIDE_EFFECTS: Record<SideEffect, SideEffectEnum> = {
  fs_read: SideEffectEnum.FS_READ,
  fs_write: SideEffectEnum.FS_WRITE,
  db_read: SideEffectEnum.DB_READ,
  db_write: SideEffectEnum.DB_WRITE,
  network_egress: SideEffectEnum.NETWORK_EGRESS,
  network_ingress: SideEffectEnum.NETWORK_INGRESS,
  code_exec: SideEffectEnum.CODE_EXEC,
  process_spawn: SideEffectEnum.PROCESS_SPAWN,
  sudo_elevate: SideEffectEnum.SUDO_ELEVATE,
  container_exec: SideEffectEnum.CONTAINER_EXEC,
  secrets_read: SideEffectEnum.SECRETS_READ,
  env_read: SideEffectEnum.ENV_READ,
  keychain_read: SideEffectEnum.KEYCHAIN_READ,
  clipboard_read: SideEffectEnum.CLIPBOARD_READ,
  clipboard_write: SideEffectEnum.CLIPBOARD_WRITE,
  browser_open: SideEffectEnum.BROWSER_OPEN,
  screen_capture: SideEffectEnum.SCREEN_CAPTURE,
  audio_capture: SideEffectEnum.AUDIO_CAPTURE,
  camera_capture: SideEffectEnum.CAMERA_CAPTURE,
  cloud_api: SideEffectEnum.CLOUD_API,
  email_send: SideEffectEnum.EMAIL_SEND,
};

const CHANNELS: Record<ApprovalChannel, ApprovalChannelEnum> = {
  dashboard: ApprovalChannelEnum.DASHBOARD,
  cli: ApprovalChannelEnum.CLI,
  native_dialog: ApprovalChannelEnum.NATIVE_DIALOG,
  unspecified: ApprovalChannelEnum.UNSPECIFIED,
};

const ACTIONS: Record<ApprovalAction, ApprovalActionEnum> = {
  allow_once: ApprovalActionEnum.ALLOW_ONCE,
  allow_and_cache: ApprovalActionEnum.ALLOW_AND_CACHE,
  deny: ApprovalActionEnum.DENY,
};

const RESOLUTION_OUTCOMES: Record<ApprovalResolutionView["outcome"], ApprovalOutcomeEnum> = {
  allowed_and_cached: ApprovalOutcomeEnum.ALLOWED_AND_CACHED,
  allowed_once: ApprovalOutcomeEnum.ALLOWED_ONCE,
  denied: ApprovalOutcomeEnum.DENIED,
};

export function sideEffectMessage(effect: SideEffect): SideEffectEnum {
  return SIDE_EFFECTS[effect];
}

export function approverMessage(approver: Approver): ApproverMessage {
  return create(ApproverSchema, {
    subjectId: approver.subjectId,
    displayName: approver.displayName ?? "",
    channel: CHANNELS[approver.channel],
    client: approver.client ?? "",
  });
}

/** The approver named in a request; `fallbackChannel` when the message leaves it unspecified. */
export function approverFromMessage(message: ApproverMessage | undefined, fallbackChannel: ApprovalChannel = "unspecified"): Approver {
  const channel =
    message?.channel === ApprovalChannelEnum.DASHBOARD
      ? "dashboard"
      : message?.channel === ApprovalChannelEnum.CLI
        ? "cli"
        : message?.channel === ApprovalChannelEnum.NATIVE_DIALOG
          ? "native_dialog"
          : fallbackChannel;
  const approver: Approver = { subjectId: message?.subjectId ?? "", channel };
  if (message?.displayName) approver.displayName = message.displayName;
  if (message?.client) approver.client = message.client;
  return approver;
}

/** The broker's action for a request's enum; null for UNSPECIFIED or an unknown value. */
export function approvalActionFromMessage(action: ApprovalActionEnum): ApprovalAction | null {
  switch (action) {
    case ApprovalActionEnum.ALLOW_ONCE:
      return "allow_once";
    case ApprovalActionEnum.ALLOW_AND_CACHE:
      return "allow_and_cache";
    case ApprovalActionEnum.DENY:
      return "deny";
    default:
      return null;
  }
}

export function approvalActionMessage(action: ApprovalAction): ApprovalActionEnum {
  return ACTIONS[action];
}

export function pendingApprovalMessage(view: PendingApprovalView, proxy: ProxyIdentity): PendingApproval {
  return create(PendingApprovalSchema, {
    id: view.id,
    proxyId: proxy.proxyId,
    proxyName: proxy.proxyName,
    subjectId: view.subjectId,
    backend: view.backendId,
    method: view.method,
    toolName: view.toolName,
    path: view.path ?? "",
    sourcePath: view.sourcePath ?? "",
    destPath: view.destPath ?? "",
    sideEffects: view.sideEffects.map(sideEffectMessage),
    argumentsPreview: view.argumentsPreview,
    argumentsDigest: view.argumentsDigest,
    matchedRuleId: view.matchedRuleId,
    policyVersion: view.policyVersion,
    requestId: view.requestId,
    createdAt: timestampFromMs(view.createdAtMs),
    expiresAt: timestampFromMs(view.expiresAtMs),
    timeoutSeconds: Math.round(view.timeoutSeconds),
    canCache: view.canCache,
    cacheTtlSeconds: Math.round(view.cacheTtlSeconds),
    reason: view.reason,
  });
}

export function approvalResolutionMessage(view: ApprovalResolutionView): ApprovalResolution {
  return create(ApprovalResolutionSchema, {
    approvalId: view.approvalId,
    action: ACTIONS[view.action],
    outcome: RESOLUTION_OUTCOMES[view.outcome],
    approver: approverMessage(view.approver),
    resolvedAt: timestampFromMs(view.resolvedAtMs),
  });
}

export function approvalExpiryMessage(view: ApprovalEndView): ApprovalExpiry {
  return create(ApprovalExpirySchema, {
    approvalId: view.approvalId,
    outcome: view.outcome === "timed_out" ? ApprovalOutcomeEnum.TIMED_OUT : ApprovalOutcomeEnum.CANCELLED,
    reason: view.reason,
    endedAt: timestampFromMs(view.endedAtMs),
  });
}

export function cachedApprovalMessage(view: CachedApprovalView): CachedApproval {
  return create(CachedApprovalSchema, {
    subjectId: view.subjectId,
    toolName: view.toolName,
    path: view.path ?? "",
    requestId: view.requestId,
    storedAt: timestampFromMs(view.storedAtMs),
    expiresAt: timestampFromMs(view.expiresAtMs),
    ageSeconds: view.ageSeconds,
    expiresInSeconds: view.expiresInSeconds,
    approver: approverMessage(view.approver),
  });
}

export function cachedApprovalsMessage(views: readonly CachedApprovalView[], ttlSeconds: number): CachedApprovals {
  return create(CachedApprovalsSchema, { approvals: views.map(cachedApprovalMessage), ttlSeconds: Math.round(ttlSeconds) });
}

/** One WatchApprovals stream item. */
export function watchApprovalsResponseMessage(item: ApprovalFeedItem, proxy: ProxyIdentity): WatchApprovalsResponse {
  let update: MessageInitShape<typeof WatchApprovalsResponseSchema>["update"];
  switch (item.kind) {
    case "current":
      update = { case: "current", value: { approvals: item.approvals.map((v) => pendingApprovalMessage(v, proxy)) } };
      break;
    case "created":
      update = { case: "created", value: pendingApprovalMessage(item.approval, proxy) };
      break;
    case "resolved":
      update = { case: "resolved", value: approvalResolutionMessage(item.resolution) };
      break;
    case "expired":
      update = { case: "expired", value: approvalExpiryMessage(item.end) };
      break;
    case "cancelled":
      update = { case: "cancelled", value: approvalExpiryMessage(item.end) };
      break;
  }
  return create(WatchApprovalsResponseSchema, { update });
}

/** An approval event as a ProxyEvent (pending_created / _resolved / _timeout / _cancelled). */
export function approvalProxyEvent(event: ApprovalEvent, proxy: ProxyIdentity, atMs: number = Date.now()): ProxyEvent {
  const ts = timestampFromMs(atMs);
  switch (event.kind) {
    case "created":
      return create(ProxyEventSchema, {
        type: EventType.PENDING_CREATED,
        severity: Severity.INFO,
        ts,
        message: `Approval needed: ${event.approval.toolName}`,
        payload: { case: "pendingCreated", value: { approval: pendingApprovalMessage(event.approval, proxy) } },
      });
    case "resolved":
      return create(ProxyEventSchema, {
        type: EventType.PENDING_RESOLVED,
        severity: Severity.INFO,
        ts,
        payload: { case: "pendingResolved", value: { resolution: approvalResolutionMessage(event.resolution) } },
      });
    case "expired":
      return create(ProxyEventSchema, {
        type: EventType.PENDING_TIMEOUT,
        severity: Severity.WARNING,
        ts,
        message: "Approval timed out; the request was denied",
        payload: { case: "pendingTimeout", value: { expiry: approvalExpiryMessage(event.end) } },
      });
    case "cancelled":
      return create(ProxyEventSchema, {
        type: EventType.PENDING_CANCELLED,
        severity: Severity.INFO,
        ts,
        message: `Approval withdrawn (${event.end.reason})`,
        payload: { case: "pendingCancelled", value: { expiry: approvalExpiryMessage(event.end) } },
      });
  }
}

/**
 * The ProxyEvents one cache change calls for: cache_cleared or cache_entry_deleted where the
 * catalogue names one, then always a cached_snapshot of `current` (the cache after the change).
 */
export function cacheChangeProxyEvents(change: CacheChange, current: readonly CachedApprovalView[], ttlSeconds: number, atMs: number = Date.now()): ProxyEvent[] {
  const ts = timestampFromMs(atMs);
  const events: ProxyEvent[] = [];
  if (change.kind === "cleared") {
    events.push(
      create(ProxyEventSchema, {
        type: EventType.CACHE_CLEARED,
        severity: Severity.SUCCESS,
        ts,
        message: `Approval cache cleared (${change.count} entries)`,
        payload: { case: "cacheCleared", value: { count: change.count, reason: change.reason } },
      }),
    );
  } else if (change.kind === "deleted") {
    events.push(
      create(ProxyEventSchema, {
        type: EventType.CACHE_ENTRY_DELETED,
        severity: Severity.SUCCESS,
        ts,
        payload: { case: "cacheEntryDeleted", value: { subjectId: change.entry.subjectId, toolName: change.entry.toolName, path: change.entry.path ?? "" } },
      }),
    );
  }
  events.push(
    create(ProxyEventSchema, {
      type: EventType.CACHED_SNAPSHOT,
      severity: Severity.INFO,
      ts,
      payload: { case: "cachedSnapshot", value: cachedApprovalsMessage(current, ttlSeconds) },
    }),
  );
  return events;
}

const RPC_CODES: Record<HitlErrorCode, RpcCode> = {
  [HitlErrorCode.NotFound]: RpcCode.NOT_FOUND,
  // The contract: NOT_FOUND for an unknown *or already ended* approval; the detail code tells which.
  [HitlErrorCode.AlreadyResolved]: RpcCode.NOT_FOUND,
  [HitlErrorCode.Stale]: RpcCode.FAILED_PRECONDITION,
  [HitlErrorCode.Unauthorized]: RpcCode.PERMISSION_DENIED,
  [HitlErrorCode.InvalidAction]: RpcCode.INVALID_ARGUMENT,
  [HitlErrorCode.InvalidRequest]: RpcCode.INVALID_ARGUMENT,
  [HitlErrorCode.Closed]: RpcCode.UNAVAILABLE,
  [HitlErrorCode.WatchOverflow]: RpcCode.RESOURCE_EXHAUSTED,
  [HitlErrorCode.CacheEntryNotFound]: RpcCode.NOT_FOUND,
};

export function hitlErrorRpcCode(code: HitlErrorCode): RpcCode {
  return RPC_CODES[code];
}

/** The RpcError a control-service handler throws for a HitlError (message kept, code mapped). */
export function hitlErrorToRpc(error: HitlError): RpcError {
  return new RpcError(RPC_CODES[error.code], error.message, { cause: error });
}
