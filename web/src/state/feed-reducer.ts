// The live feed as a pure reducer: events in, new state plus side effects out. The Solid
// store (feed.ts) holds the state; tests drive this directly.
import { timestampMs } from "@bufbuild/protobuf/wkt";
import type { Event } from "../../../lib/gen/mcpacp/api/v1/event_service_pb.ts";
import type { CachedApproval, PendingApproval } from "../../../lib/gen/mcpacp/common/v1/approval_pb.ts";
import type { StateSnapshot } from "../../../lib/gen/mcpacp/common/v1/snapshot_pb.ts";
import type { ProxyStats } from "../../../lib/gen/mcpacp/common/v1/stats_pb.ts";
import { noticeText, SILENT_CASES, severityLevel } from "./notice-text.ts";
import type { ToastLevel } from "./toasts.ts";

/** A pending approval as the UI shows it, with its proxy name always set. */
export interface PendingView {
  /** Unique across proxies: `${proxyName}/${approval.id}`. */
  key: string;
  proxyName: string;
  approval: PendingApproval;
  /** When it is denied automatically (ms since epoch). */
  deadlineMs: number;
  createdMs: number;
}

export interface CachedView {
  key: string;
  subjectId: string;
  toolName: string;
  path: string;
  /** Absolute expiry, computed from expires_in_seconds when the list arrived. */
  expiresAtMs: number;
  approverName: string;
}

export interface CachedList {
  entries: readonly CachedView[];
  ttlSeconds: number;
}

export interface FeedCounters {
  /** Bumps on everything (reconnect, resync): every screen refetches. */
  global: number;
  proxies: number;
  incidents: number;
  auth: number;
  logs: Readonly<Record<string, number>>;
  policy: Readonly<Record<string, number>>;
  config: Readonly<Record<string, number>>;
}

export interface FeedState {
  pending: readonly PendingView[];
  cached: Readonly<Record<string, CachedList>>;
  stats: Readonly<Record<string, ProxyStats>>;
  /** MCP client name per running proxy, from snapshots. */
  clientIds: Readonly<Record<string, string>>;
  /** Proxies the feed says are attached right now. */
  attached: ReadonlySet<string>;
  counters: FeedCounters;
  /** Proxies that got a snapshot since the current (re)subscribe began; undefined when not syncing. */
  syncing: ReadonlySet<string> | undefined;
  lastSeq: bigint;
}

export type FeedEffect =
  | { kind: "toast"; level: ToastLevel; message: string; id?: string }
  | { kind: "dismiss-toast"; id: string }
  | { kind: "approval-created"; pending: PendingView }
  | { kind: "proxy-deleted"; proxyName: string }
  | { kind: "ready"; resumed: boolean; keepaliveMs: number | undefined };

export interface FeedStep {
  state: FeedState;
  effects: FeedEffect[];
}

export const emptyCounters: FeedCounters = { global: 0, proxies: 0, incidents: 0, auth: 0, logs: {}, policy: {}, config: {} };

export function initialFeedState(): FeedState {
  return {
    pending: [],
    cached: {},
    stats: {},
    clientIds: {},
    attached: new Set(),
    counters: emptyCounters,
    syncing: undefined,
    lastSeq: 0n,
  };
}

/** Fixed toast id of a proxy's shutdown notice, so the next snapshot can dismiss it. */
export function shutdownToastId(proxyName: string): string {
  return `shutdown:${proxyName}`;
}

/** Starts a (re)subscribe: snapshots until Ready say which proxies are still attached. */
export function beginSync(state: FeedState): FeedState {
  return { ...state, syncing: new Set() };
}

/** Everything changed (e.g. after a reconnect): all screens refetch. */
export function bumpAll(state: FeedState): FeedState {
  return { ...state, counters: { ...state.counters, global: state.counters.global + 1 } };
}

export function pendingView(approval: PendingApproval, proxyName: string): PendingView {
  const createdMs = approval.createdAt ? timestampMs(approval.createdAt) : Date.now();
  const deadlineMs = approval.expiresAt ? timestampMs(approval.expiresAt) : createdMs + approval.timeoutSeconds * 1000;
  return { key: `${proxyName}/${approval.id}`, proxyName, approval, deadlineMs, createdMs };
}

export function cachedView(entry: CachedApproval, nowMs: number): CachedView {
  return {
    key: `${entry.subjectId}\u0000${entry.toolName}\u0000${entry.path}`,
    subjectId: entry.subjectId,
    toolName: entry.toolName,
    path: entry.path,
    expiresAtMs: nowMs + entry.expiresInSeconds * 1000,
    approverName: entry.approver?.displayName || entry.approver?.subjectId || "",
  };
}

function cachedList(entries: readonly CachedApproval[], ttlSeconds: number, nowMs: number): CachedList {
  return { entries: entries.map((e) => cachedView(e, nowMs)), ttlSeconds };
}

function sortPending(list: PendingView[]): PendingView[] {
  return list.sort((a, b) => a.createdMs - b.createdMs || a.key.localeCompare(b.key));
}

function without<T>(rec: Readonly<Record<string, T>>, key: string): Record<string, T> {
  if (!(key in rec)) return rec as Record<string, T>;
  const next = { ...rec };
  delete next[key];
  return next;
}

function bump(rec: Readonly<Record<string, number>>, key: string): Record<string, number> {
  return { ...rec, [key]: (rec[key] ?? 0) + 1 };
}

/** Removes everything live about a proxy (its approvals can no longer be answered). */
export function dropProxy(state: FeedState, proxyName: string): FeedState {
  const attached = new Set(state.attached);
  attached.delete(proxyName);
  return {
    ...state,
    pending: state.pending.some((p) => p.proxyName === proxyName) ? state.pending.filter((p) => p.proxyName !== proxyName) : state.pending,
    cached: without(state.cached, proxyName),
    stats: without(state.stats, proxyName),
    clientIds: without(state.clientIds, proxyName),
    attached,
  };
}

function applySnapshot(state: FeedState, proxyName: string, snap: StateSnapshot, nowMs: number): FeedState {
  const others = state.pending.filter((p) => p.proxyName !== proxyName);
  const mine = snap.pending.map((a) => pendingView(a, proxyName));
  const attached = new Set(state.attached);
  attached.add(proxyName);
  const syncing = state.syncing === undefined ? undefined : new Set(state.syncing).add(proxyName);
  return {
    ...state,
    pending: sortPending([...others, ...mine]),
    cached: { ...state.cached, [proxyName]: cachedList(snap.cached?.approvals ?? [], snap.cached?.ttlSeconds ?? 0, nowMs) },
    stats: snap.stats ? { ...state.stats, [proxyName]: snap.stats } : without(state.stats, proxyName),
    clientIds: { ...state.clientIds, [proxyName]: snap.clientId },
    attached,
    syncing,
  };
}

function removePending(state: FeedState, proxyName: string, approvalId: string): FeedState {
  const key = `${proxyName}/${approvalId}`;
  if (!state.pending.some((p) => p.key === key)) return state;
  return { ...state, pending: state.pending.filter((p) => p.key !== key) };
}

/** Applies one feed event. `nowMs` anchors cached-approval expiries. */
export function applyEvent(state: FeedState, event: Event, nowMs: number): FeedStep {
  const effects: FeedEffect[] = [];
  const name = event.proxyName;
  let next: FeedState = event.seq > state.lastSeq ? { ...state, lastSeq: event.seq } : state;
  const p = event.payload;

  switch (p.case) {
    case "snapshot":
      if (name !== "") {
        next = applySnapshot(next, name, p.value, nowMs);
        effects.push({ kind: "dismiss-toast", id: shutdownToastId(name) });
      }
      break;
    case "cachedSnapshot":
      if (name !== "") next = { ...next, cached: { ...next.cached, [name]: cachedList(p.value.approvals, p.value.ttlSeconds, nowMs) } };
      break;
    case "statsUpdated":
      if (name !== "") next = { ...next, stats: { ...next.stats, [name]: p.value } };
      break;
    case "newLogEntries":
      if (name !== "") next = { ...next, counters: { ...next.counters, logs: bump(next.counters.logs, name) } };
      break;
    case "pendingCreated": {
      const approval = p.value.approval;
      if (approval === undefined) break;
      const proxyName = name || approval.proxyName;
      const view = pendingView(approval, proxyName);
      if (next.pending.some((x) => x.key === view.key)) break;
      next = { ...next, pending: sortPending([...next.pending, view]) };
      effects.push({ kind: "approval-created", pending: view });
      break;
    }
    case "pendingResolved":
      next = removePending(next, name, p.value.resolution?.approvalId ?? "");
      break;
    case "pendingTimeout": {
      const before = next;
      next = removePending(next, name, p.value.expiry?.approvalId ?? "");
      if (next !== before) effects.push({ kind: "toast", level: "warning", message: "Approval request timed out" });
      break;
    }
    case "pendingCancelled":
      next = removePending(next, name, p.value.expiry?.approvalId ?? "");
      break;
    case "pendingNotFound":
      next = removePending(next, name, p.value.approvalId);
      break;
    case "cacheCleared":
      if (name !== "" && next.cached[name] !== undefined) {
        next = { ...next, cached: { ...next.cached, [name]: { entries: [], ttlSeconds: next.cached[name]?.ttlSeconds ?? 0 } } };
      }
      break;
    case "cacheEntryDeleted": {
      const list = next.cached[name];
      if (list !== undefined) {
        const v = p.value;
        const entries = list.entries.filter((e) => !(e.subjectId === v.subjectId && e.toolName === v.toolName && e.path === v.path));
        next = { ...next, cached: { ...next.cached, [name]: { ...list, entries } } };
      }
      break;
    }
    case "proxyRegistered": {
      const proxyName = p.value.proxyName || name;
      const attached = new Set(next.attached).add(proxyName);
      next = { ...next, attached, counters: { ...next.counters, proxies: next.counters.proxies + 1 } };
      break;
    }
    case "proxyDisconnected": {
      const proxyName = p.value.proxyName || name;
      next = dropProxy(next, proxyName);
      next = { ...next, counters: { ...next.counters, proxies: next.counters.proxies + 1, incidents: next.counters.incidents + 1 } };
      const reason = p.value.reason;
      if (reason !== undefined && (reason.reason !== "" || reason.failureType !== "")) {
        effects.push({ kind: "toast", level: "error", message: `Proxy '${proxyName}' stopped: ${reason.reason || reason.failureType}` });
      } else {
        effects.push({ kind: "toast", level: "info", message: `Proxy '${proxyName}' disconnected` });
      }
      break;
    }
    case "proxyDeleted": {
      const proxyName = p.value.proxyName || name;
      next = dropProxy(next, proxyName);
      next = { ...next, counters: { ...next.counters, proxies: next.counters.proxies + 1, incidents: next.counters.incidents + 1 } };
      effects.push({ kind: "proxy-deleted", proxyName });
      break;
    }
    case "incidentsUpdated":
      next = { ...next, counters: { ...next.counters, incidents: next.counters.incidents + 1 } };
      break;
    case "criticalShutdown": {
      const text = p.value.reason !== "" ? `Proxy '${name}' is shutting down: ${p.value.reason}` : noticeText(event);
      effects.push({ kind: "toast", level: "critical", message: text, id: shutdownToastId(name) });
      next = { ...next, counters: { ...next.counters, incidents: next.counters.incidents + 1 } };
      break;
    }
    case "ready": {
      const r = p.value;
      if (next.syncing !== undefined && !r.resumed) {
        // A fresh picture: proxies that sent no snapshot are no longer attached.
        const seen = next.syncing;
        for (const proxyName of new Set([...next.attached, ...Object.keys(next.cached), ...Object.keys(next.stats), ...next.pending.map((x) => x.proxyName)])) {
          if (!seen.has(proxyName)) next = dropProxy(next, proxyName);
        }
        next = { ...next, lastSeq: r.headSeq };
      }
      next = { ...next, syncing: undefined };
      const d = r.keepaliveInterval;
      const keepaliveMs = d !== undefined ? Number(d.seconds) * 1000 + Math.floor(d.nanos / 1e6) : undefined;
      effects.push({ kind: "ready", resumed: r.resumed, keepaliveMs: keepaliveMs !== undefined && keepaliveMs > 0 ? keepaliveMs : undefined });
      break;
    }
    case "keepalive":
    case undefined:
      break;
    default:
      break;
  }

  // Counter side of notices: screens that show the affected data refetch.
  switch (p.case) {
    case "policyReloaded":
    case "policyReloadFailed":
    case "policyFileNotFound":
    case "policyRollback":
      if (name !== "") next = { ...next, counters: { ...next.counters, policy: bump(next.counters.policy, name) } };
      break;
    case "configChangeDetected":
      if (name !== "") next = { ...next, counters: { ...next.counters, config: bump(next.counters.config, name) } };
      break;
    case "authLogin":
    case "authLoginFailed":
    case "authLogout":
    case "authFailure":
    case "tokenRefreshFailed":
    case "tokenValidationFailed":
      next = { ...next, counters: { ...next.counters, auth: next.counters.auth + 1 } };
      break;
    case "auditInitFailed":
    case "auditTampering":
    case "auditMissing":
    case "auditPermissionDenied":
      next = { ...next, counters: { ...next.counters, proxies: next.counters.proxies + 1 } };
      break;
    default:
      break;
  }

  if (p.case !== undefined && !SILENT_CASES.has(p.case) && p.case !== "criticalShutdown" && p.case !== "proxyDisconnected" && p.case !== "proxyDeleted" && p.case !== "pendingTimeout") {
    effects.push({ kind: "toast", level: severityLevel(event.severity), message: noticeText(event) });
  }
  return { state: next, effects };
}
