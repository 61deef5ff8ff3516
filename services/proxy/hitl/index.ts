// Public API of the proxy's human-in-the-loop core: the approval broker (pending approvals,
// resolution, timeouts, watcher feeds), the approval cache, the argument preview and digest,
// and their mapping to mcpacp messages.
export {
  ApprovalBroker,
  type ApprovalBrokerOptions,
  CANCEL_REASON_APPROVER_LOST,
  CANCEL_REASON_REQUEST,
  CANCEL_REASON_SHUTDOWN,
  DEFAULT_APPROVER_LOSS_GRACE_MS,
  DEFAULT_MAX_PENDING,
  DEFAULT_WATCH_CAPACITY,
  type PresenceHandle,
  type ResolveOptions,
  type WatchOptions,
} from "./approval-broker.ts";
export {
  ApprovalCache,
  type ApprovalCacheOptions,
  type CacheChange,
  type CachedApprovalView,
  type CacheKeyInput,
  type CacheLookupInput,
  type CacheStoreInput,
  DEFAULT_MAX_CACHE_ENTRIES,
  UNKNOWN_TOOL,
} from "./approval-cache.ts";
export { NEVER_CACHED_EFFECTS, shouldCacheApproval } from "./should-cache.ts";
export { argumentsDigest, argumentsPreview, DEFAULT_PREVIEW_LIMITS, DIGEST_PREFIX, type PreviewLimits, redactSecretText } from "./preview.ts";
export { type CancelTimer, type HitlClock, systemClock } from "./clock.ts";
export { ManualClock } from "./manual-clock.ts";
export { HitlError, HitlErrorCode, isHitlError } from "./errors.ts";
export type {
  ApprovalAction,
  ApprovalChannel,
  ApprovalEndView,
  ApprovalEvent,
  ApprovalFeedItem,
  ApprovalOutcome,
  ApprovalOutcomeKind,
  ApprovalOutcomeReason,
  ApprovalRequestInput,
  ApprovalResolutionView,
  Approver,
  PendingApprovalView,
  ResolutionOutcome,
} from "./types.ts";
export {
  approvalActionFromMessage,
  approvalActionMessage,
  approvalExpiryMessage,
  approvalProxyEvent,
  approvalResolutionMessage,
  approverFromMessage,
  approverMessage,
  cachedApprovalMessage,
  cachedApprovalsMessage,
  cacheChangeProxyEvents,
  hitlErrorRpcCode,
  hitlErrorToRpc,
  pendingApprovalMessage,
  type ProxyIdentity,
  sideEffectMessage,
  watchApprovalsResponseMessage,
} from "./proto.ts";
export { type HitlRecordFields, type HitlRecordOutcome, hitlRecordFields } from "./record-fields.ts";
