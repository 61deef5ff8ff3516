import { describe, expect, test } from "bun:test";
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { timestampMs } from "@bufbuild/protobuf/wkt";
import {
  ApprovalAction as ApprovalActionEnum,
  ApprovalChannel as ApprovalChannelEnum,
  ApprovalOutcome as ApprovalOutcomeEnum,
  ApproverSchema,
  PendingApprovalSchema,
} from "../../../lib/gen/mcpacp/common/v1/approval_pb.ts";
import { EventType } from "../../../lib/gen/mcpacp/common/v1/event_pb.ts";
import { SideEffect } from "../../../lib/gen/mcpacp/common/v1/policy_pb.ts";
import { WatchApprovalsResponseSchema } from "../../../lib/gen/mcpacp/control/v1/control_pb.ts";
import { RpcCode } from "../../../lib/rpc/index.ts";
import { create } from "@bufbuild/protobuf";
import type { CachedApprovalView } from "./approval-cache.ts";
import { HitlError, HitlErrorCode } from "./errors.ts";
import {
  approvalActionFromMessage,
  approvalProxyEvent,
  approverFromMessage,
  cacheChangeProxyEvents,
  cachedApprovalsMessage,
  hitlErrorToRpc,
  pendingApprovalMessage,
  watchApprovalsResponseMessage,
} from "./proto.ts";
import type { PendingApprovalView } from "./types.ts";

const proxy = { proxyId: "px_0123abcd:fs", proxyName: "fs" };

const pending: PendingApprovalView = {
  id: "0123456789abcdef",
  subjectId: "alice",
  backendId: "fs-server",
  method: "tools/call",
  toolName: "move_file",
  path: "/a",
  sourcePath: "/a",
  destPath: "/b",
  paths: ["/a", "/b"],
  sideEffects: ["fs_read", "fs_write"],
  argumentsPreview: { source: "/a", destination: "/b", nested: { n: 1, list: [true, null] } },
  argumentsDigest: `sha256:${"0".repeat(64)}`,
  matchedRuleId: "rule_abc",
  reason: "moves need a human",
  policyVersion: "v3",
  requestId: "9",
  createdAtMs: 1_700_000_000_000,
  expiresAtMs: 1_700_000_060_000,
  timeoutSeconds: 60,
  canCache: true,
  cacheTtlSeconds: 600,
};

describe("HITL proto mapping", () => {
  test("PendingApproval carries every field and survives the wire", () => {
    const msg = pendingApprovalMessage(pending, proxy);
    const back = fromBinary(PendingApprovalSchema, toBinary(PendingApprovalSchema, msg));
    expect(back).toMatchObject({
      id: pending.id,
      proxyId: proxy.proxyId,
      proxyName: "fs",
      subjectId: "alice",
      backend: "fs-server",
      method: "tools/call",
      toolName: "move_file",
      path: "/a",
      sourcePath: "/a",
      destPath: "/b",
      sideEffects: [SideEffect.FS_READ, SideEffect.FS_WRITE],
      argumentsPreview: pending.argumentsPreview,
      argumentsDigest: pending.argumentsDigest,
      matchedRuleId: "rule_abc",
      policyVersion: "v3",
      requestId: "9",
      timeoutSeconds: 60,
      canCache: true,
      cacheTtlSeconds: 600,
      reason: "moves need a human",
    });
    expect(back.createdAt && timestampMs(back.createdAt)).toBe(pending.createdAtMs);
    expect(back.expiresAt && timestampMs(back.expiresAt)).toBe(pending.expiresAtMs);
  });

  test("WatchApprovalsResponse: one oneof case per feed item", () => {
    const approver = { subjectId: "alice", channel: "cli" as const };
    const items = [
      watchApprovalsResponseMessage({ kind: "current", approvals: [pending] }, proxy),
      watchApprovalsResponseMessage({ kind: "created", approval: pending }, proxy),
      watchApprovalsResponseMessage({ kind: "resolved", resolution: { approvalId: pending.id, action: "allow_and_cache", outcome: "allowed_once", approver, resolvedAtMs: 1 } }, proxy),
      watchApprovalsResponseMessage({ kind: "expired", end: { approvalId: pending.id, outcome: "timed_out", reason: "", endedAtMs: 2 } }, proxy),
      watchApprovalsResponseMessage({ kind: "cancelled", end: { approvalId: pending.id, outcome: "cancelled", reason: "proxy_shutdown", endedAtMs: 3 } }, proxy),
    ].map((m) => fromBinary(WatchApprovalsResponseSchema, toBinary(WatchApprovalsResponseSchema, m)));
    expect(items.map((m) => m.update.case)).toEqual(["current", "created", "resolved", "expired", "cancelled"]);
    const [current, , resolved, expired, cancelled] = items;
    expect(current?.update.case === "current" && current.update.value.approvals[0]?.id).toBe(pending.id);
    expect(resolved?.update.case === "resolved" && resolved.update.value).toMatchObject({
      action: ApprovalActionEnum.ALLOW_AND_CACHE,
      outcome: ApprovalOutcomeEnum.ALLOWED_ONCE,
      approver: { subjectId: "alice", channel: ApprovalChannelEnum.CLI },
    });
    expect(expired?.update.case === "expired" && expired.update.value.outcome).toBe(ApprovalOutcomeEnum.TIMED_OUT);
    expect(cancelled?.update.case === "cancelled" && cancelled.update.value).toMatchObject({ outcome: ApprovalOutcomeEnum.CANCELLED, reason: "proxy_shutdown" });
  });

  test("cached approvals and cache events", () => {
    const view: CachedApprovalView = {
      subjectId: "alice",
      toolName: "read_file",
      path: null,
      policyVersion: "v3",
      ruleId: "rule_abc",
      requestId: "9",
      approvalId: pending.id,
      approver: { subjectId: "alice", channel: "dashboard" },
      storedAtMs: 1000,
      expiresAtMs: 601_000,
      ageSeconds: 1.5,
      expiresInSeconds: 598.5,
    };
    const msg = cachedApprovalsMessage([view], 600);
    expect(msg.ttlSeconds).toBe(600);
    expect(msg.approvals[0]).toMatchObject({ subjectId: "alice", toolName: "read_file", path: "", requestId: "9", ageSeconds: 1.5, expiresInSeconds: 598.5 });
    const cleared = cacheChangeProxyEvents({ kind: "cleared", count: 3, reason: "policy_reload" }, [], 600);
    expect(cleared.map((e) => e.type)).toEqual([EventType.CACHE_CLEARED, EventType.CACHED_SNAPSHOT]);
    expect(cleared[0]?.payload).toMatchObject({ case: "cacheCleared", value: { count: 3, reason: "policy_reload" } });
    const deleted = cacheChangeProxyEvents({ kind: "deleted", entry: view }, [], 600);
    expect(deleted.map((e) => e.type)).toEqual([EventType.CACHE_ENTRY_DELETED, EventType.CACHED_SNAPSHOT]);
    expect(cacheChangeProxyEvents({ kind: "stored", entries: [view] }, [view], 600).map((e) => e.type)).toEqual([EventType.CACHED_SNAPSHOT]);
  });

  test("approval events become ProxyEvents with the matching type and payload", () => {
    const created = approvalProxyEvent({ kind: "created", approval: pending }, proxy, 5);
    expect(created.type).toBe(EventType.PENDING_CREATED);
    expect(created.payload.case).toBe("pendingCreated");
    const timeout = approvalProxyEvent({ kind: "expired", end: { approvalId: pending.id, outcome: "timed_out", reason: "", endedAtMs: 5 } }, proxy, 5);
    expect([timeout.type, timeout.payload.case]).toEqual([EventType.PENDING_TIMEOUT, "pendingTimeout"]);
    const cancelled = approvalProxyEvent({ kind: "cancelled", end: { approvalId: pending.id, outcome: "cancelled", reason: "x", endedAtMs: 5 } }, proxy, 5);
    expect([cancelled.type, cancelled.payload.case]).toEqual([EventType.PENDING_CANCELLED, "pendingCancelled"]);
  });

  test("request messages → broker inputs", () => {
    expect(approvalActionFromMessage(ApprovalActionEnum.ALLOW_ONCE)).toBe("allow_once");
    expect(approvalActionFromMessage(ApprovalActionEnum.ALLOW_AND_CACHE)).toBe("allow_and_cache");
    expect(approvalActionFromMessage(ApprovalActionEnum.DENY)).toBe("deny");
    expect(approvalActionFromMessage(ApprovalActionEnum.UNSPECIFIED)).toBeNull();
    expect(approverFromMessage(create(ApproverSchema, { subjectId: "alice", channel: ApprovalChannelEnum.DASHBOARD, client: "ui" }))).toEqual({
      subjectId: "alice",
      channel: "dashboard",
      client: "ui",
    });
    expect(approverFromMessage(undefined, "cli")).toEqual({ subjectId: "", channel: "cli" });
  });

  test("HITL errors map to the documented gRPC codes", () => {
    const code = (c: HitlErrorCode) => hitlErrorToRpc(new HitlError(c, "m")).code;
    expect(code(HitlErrorCode.NotFound)).toBe(RpcCode.NOT_FOUND);
    expect(code(HitlErrorCode.AlreadyResolved)).toBe(RpcCode.NOT_FOUND);
    expect(code(HitlErrorCode.Stale)).toBe(RpcCode.FAILED_PRECONDITION);
    expect(code(HitlErrorCode.Unauthorized)).toBe(RpcCode.PERMISSION_DENIED);
    expect(code(HitlErrorCode.CacheEntryNotFound)).toBe(RpcCode.NOT_FOUND);
  });
});
