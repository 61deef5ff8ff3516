// Text and JSON shapes of approvals for the terminal. Everything shown comes from a request an
// MCP client made (tool names, paths, argument previews), so control characters are escaped
// before any of it reaches a terminal.
import { toJson, type JsonObject, type JsonValue } from "@bufbuild/protobuf";
import { timestampMs, type Timestamp } from "@bufbuild/protobuf/wkt";
import {
  ApprovalAction,
  ApprovalChannel,
  type ApprovalExpiry,
  ApprovalExpirySchema,
  ApprovalOutcome,
  type ApprovalResolution,
  ApprovalResolutionSchema,
  type Approver,
  type CachedApproval,
  CachedApprovalSchema,
  type PendingApproval,
  PendingApprovalSchema,
} from "../../../lib/gen/mcpacp/common/v1/approval_pb.ts";
import { SideEffect } from "../../../lib/gen/mcpacp/common/v1/policy_pb.ts";
import { printable } from "../policy/describe-rule.ts";

const JSON_OPTIONS = { useProtoFieldName: true, alwaysEmitImplicit: true } as const;

/** "42s", "5m 03s", "2h 05m", "3d 04h": whole seconds, two units at most. */
export function formatSeconds(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const two = (n: number): string => String(n).padStart(2, "0");
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${two(s % 60)}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ${two(Math.floor((s % 3600) / 60))}m`;
  return `${Math.floor(s / 86_400)}d ${two(Math.floor((s % 86_400) / 3600))}h`;
}

/** Seconds from `nowMs` until the timestamp (negative once it has passed); NaN when unset. */
export function secondsUntil(at: Timestamp | undefined, nowMs: number): number {
  return at === undefined ? Number.NaN : (timestampMs(at) - nowMs) / 1000;
}

/** "expires in 41s", "expiring", or "" when the approval carries no expiry. */
export function expiresText(approval: PendingApproval, nowMs: number): string {
  const left = secondsUntil(approval.expiresAt, nowMs);
  if (Number.isNaN(left)) return "";
  return left <= 0 ? "expiring" : `expires in ${formatSeconds(Math.ceil(left))}`;
}

export function sideEffectName(effect: SideEffect): string {
  return (SideEffect[effect] ?? `side_effect_${effect}`).toLowerCase();
}

/** The path a request touches: "src → dest" for a move or copy, else the path, else "". */
export function approvalTarget(approval: PendingApproval): string {
  if (approval.sourcePath !== "" && approval.destPath !== "") return `${printable(approval.sourcePath)} → ${printable(approval.destPath)}`;
  return printable(approval.path);
}

/** The redacted argument preview as one line of JSON. */
export function argumentsText(approval: PendingApproval): string {
  const preview: JsonValue = approval.argumentsPreview ?? {};
  return printable(JSON.stringify(preview));
}

/** How long an "allow and cache" would last, or that it would not be cached. */
export function cacheText(approval: PendingApproval): string {
  return approval.canCache ? `cacheable for ${formatSeconds(approval.cacheTtlSeconds)}` : "not cacheable";
}

/** Label/value rows describing a pending approval (the id and proxy are the heading). */
export function approvalRows(approval: PendingApproval): [label: string, value: string][] {
  const rows: [string, string][] = [
    ["Request", `${printable(approval.method)} ${printable(approval.toolName)}`.trim()],
  ];
  const target = approvalTarget(approval);
  if (target !== "") rows.push(["Path", target]);
  rows.push(["Subject", printable(approval.subjectId)]);
  const rule = printable(approval.matchedRuleId);
  rows.push(["Rule", approval.reason === "" ? rule : `${rule}: ${printable(approval.reason)}`]);
  if (approval.sideEffects.length > 0) rows.push(["Effects", approval.sideEffects.map(sideEffectName).join(", ")]);
  rows.push(["Cache", approval.canCache ? `${cacheText(approval)} (approve with --cache)` : "not cacheable (allow once only)"]);
  rows.push(["Arguments", argumentsText(approval)]);
  rows.push(["Policy", `${printable(approval.policyVersion)}, arguments ${printable(approval.argumentsDigest)}`]);
  return rows;
}

const OUTCOMES: Record<ApprovalOutcome, string> = {
  [ApprovalOutcome.UNSPECIFIED]: "ended",
  [ApprovalOutcome.ALLOWED_AND_CACHED]: "allowed and cached",
  [ApprovalOutcome.ALLOWED_ONCE]: "allowed once",
  [ApprovalOutcome.DENIED]: "denied",
  [ApprovalOutcome.TIMED_OUT]: "timed out",
  [ApprovalOutcome.CANCELLED]: "withdrawn",
};

export function outcomeText(outcome: ApprovalOutcome): string {
  return OUTCOMES[outcome] ?? "ended";
}

const CHANNELS: Record<ApprovalChannel, string> = {
  [ApprovalChannel.UNSPECIFIED]: "",
  [ApprovalChannel.DASHBOARD]: "dashboard",
  [ApprovalChannel.CLI]: "cli",
  [ApprovalChannel.NATIVE_DIALOG]: "dialog",
};

/** "alice via cli", "alice", or "unknown approver". */
export function approverText(approver: Approver | undefined): string {
  if (approver === undefined || approver.subjectId === "") return "unknown approver";
  const channel = CHANNELS[approver.channel] ?? "";
  return channel === "" ? printable(approver.subjectId) : `${printable(approver.subjectId)} via ${channel}`;
}

export const ACTION_NAMES: Record<ApprovalAction, string> = {
  [ApprovalAction.UNSPECIFIED]: "resolve",
  [ApprovalAction.ALLOW_ONCE]: "allow",
  [ApprovalAction.ALLOW_AND_CACHE]: "allow and cache",
  [ApprovalAction.DENY]: "deny",
};

function asObject(value: JsonValue): JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? value : {};
}

/** A pending approval as proto JSON (snake_case), with the proxy it waits on. */
export function approvalJson(approval: PendingApproval, proxy: string): JsonObject {
  const json = asObject(toJson(PendingApprovalSchema, approval, JSON_OPTIONS));
  if (json["proxy_name"] === "") json["proxy_name"] = proxy;
  return json;
}

export function resolutionJson(resolution: ApprovalResolution): JsonObject {
  return asObject(toJson(ApprovalResolutionSchema, resolution, JSON_OPTIONS));
}

export function expiryJson(expiry: ApprovalExpiry): JsonObject {
  return asObject(toJson(ApprovalExpirySchema, expiry, JSON_OPTIONS));
}

export function cachedJson(entry: CachedApproval): JsonObject {
  return asObject(toJson(CachedApprovalSchema, entry, JSON_OPTIONS));
}

/** Oldest first, the order proxies list them in; ties by id for a stable order. */
export function byCreation(a: PendingApproval, b: PendingApproval): number {
  const at = a.createdAt === undefined ? 0 : timestampMs(a.createdAt);
  const bt = b.createdAt === undefined ? 0 : timestampMs(b.createdAt);
  return at - bt || a.id.localeCompare(b.id);
}
