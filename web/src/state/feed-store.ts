// The live-feed store: one Subscribe stream feeding the reducer, exposed as Solid signals.
// createFeedStore takes the stream source so tests can inject a fake one.
import { batch, createRoot, createSignal } from "solid-js";
import type { Event } from "../../../lib/gen/mcpacp/api/v1/event_service_pb.ts";
import type { ProxyStats } from "../../../lib/gen/mcpacp/common/v1/stats_pb.ts";
import {
  type BannerState,
  bannerState,
  clearRestored,
  type ConnectionState,
  initialConnection,
  onConnected,
  onFailure,
} from "./connection.ts";
import {
  applyEvent,
  beginSync,
  bumpAll,
  type CachedList,
  type FeedCounters,
  type FeedEffect,
  type FeedState,
  initialFeedState,
  type PendingView,
} from "./feed-reducer.ts";
import { type EventStreamSource, FeedRunner, type FeedRunnerDeps } from "./feed-stream.ts";

export interface FeedStoreOptions {
  /** Toasts for feed notices (timeouts, disconnects, policy reloads…). */
  notify?: (effect: Extract<FeedEffect, { kind: "toast" }>) => void;
  dismissNotice?: (id: string) => void;
  /** Called once when the connection turns "disconnected". */
  onDisconnected?: () => void;
  /** How long "Connection restored" stays up. */
  restoredMs?: number;
  runner?: Partial<Pick<FeedRunnerDeps, "sleep" | "random" | "timers">>;
}

export interface FeedStore {
  connection: () => ConnectionState;
  /** What ended the last failed attempt (cleared on connect). */
  lastError: () => unknown;
  banner: () => BannerState;
  pending: () => readonly PendingView[];
  pendingFor: (proxyName: string) => readonly PendingView[];
  /** Undefined until the proxy's first snapshot (shown as "Loading…"). */
  cached: (proxyName: string) => CachedList | undefined;
  stats: (proxyName: string) => ProxyStats | undefined;
  clientId: (proxyName: string) => string | undefined;
  /** Whether the feed says the proxy is attached (running) right now. */
  attached: (proxyName: string) => boolean;
  logsVersion: (proxyName: string) => number;
  incidentsVersion: () => number;
  proxiesVersion: () => number;
  policyVersion: (proxyName: string) => number;
  configVersion: (proxyName: string) => number;
  authVersion: () => number;
  start: () => void;
  stop: () => Promise<void>;
  /** Reconnect now instead of waiting out the backoff. */
  retry: () => void;
  onApprovalCreated: (fn: (p: PendingView) => void) => () => void;
  onProxyDeleted: (fn: (proxyName: string) => void) => () => void;
  /** A delete this page made itself: no "deleted elsewhere" notice for it. */
  markLocalDelete: (proxyName: string) => void;
  /** Drops a cache entry at once after a successful DeleteCached. */
  removeCachedLocally: (proxyName: string, key: string) => void;
  clearCachedLocally: (proxyName: string) => void;
  /** The reducer state (for tests and debugging). */
  snapshot: () => FeedState;
}

export function createFeedStore(source: EventStreamSource, opts: FeedStoreOptions = {}): FeedStore {
  return createRoot(() => {
    let state = initialFeedState();
    const [conn, setConn] = createSignal<ConnectionState>(initialConnection);
    const [lastError, setLastError] = createSignal<unknown>(undefined);
    const [pending, setPending] = createSignal<readonly PendingView[]>(state.pending);
    const [cached, setCached] = createSignal(state.cached);
    const [stats, setStats] = createSignal(state.stats);
    const [clientIds, setClientIds] = createSignal(state.clientIds);
    const [attached, setAttached] = createSignal(state.attached);
    const [counters, setCounters] = createSignal<FeedCounters>(state.counters);
    const createdListeners = new Set<(p: PendingView) => void>();
    const deletedListeners = new Set<(n: string) => void>();
    const localDeletes = new Set<string>();
    let restoredTimer: ReturnType<typeof setTimeout> | undefined;

    const publish = (next: FeedState): void => {
      state = next;
      batch(() => {
        setPending(next.pending);
        setCached(next.cached);
        setStats(next.stats);
        setClientIds(next.clientIds);
        setAttached(next.attached);
        setCounters(next.counters);
      });
    };

    const runEffects = (effects: FeedEffect[]): void => {
      for (const fx of effects) {
        switch (fx.kind) {
          case "toast":
            opts.notify?.(fx);
            break;
          case "dismiss-toast":
            opts.dismissNotice?.(fx.id);
            break;
          case "approval-created":
            for (const fn of createdListeners) fn(fx.pending);
            break;
          case "proxy-deleted": {
            const local = localDeletes.delete(fx.proxyName);
            if (!local) opts.notify?.({ kind: "toast", level: "info", message: `Proxy '${fx.proxyName}' was deleted` });
            for (const fn of deletedListeners) fn(fx.proxyName);
            break;
          }
          case "ready":
            if (fx.keepaliveMs !== undefined) runner.setKeepaliveInterval(fx.keepaliveMs);
            break;
        }
      }
    };

    const runner = new FeedRunner({
      source,
      ...opts.runner,
      lastSeq: () => state.lastSeq,
      failures: () => conn().failures,
      onAttempt: () => {
        state = beginSync(state);
      },
      onEvent: (event: Event) => {
        const step = applyEvent(state, event, Date.now());
        publish(step.state);
        runEffects(step.effects);
      },
      onConnected: () => {
        const before = conn();
        const after = onConnected(before);
        setConn(after);
        setLastError(undefined);
        // Anything may have changed while we were away: every screen refetches.
        if (before.everConnected || before.failures > 0) publish(bumpAll(state));
        if (after.restored) {
          if (restoredTimer !== undefined) clearTimeout(restoredTimer);
          restoredTimer = setTimeout(() => setConn((c) => clearRestored(c)), opts.restoredMs ?? 3000);
        }
      },
      onFailure: (error) => {
        setLastError(() => error);
        const before = conn();
        const after = onFailure(before);
        setConn(after);
        if (after.status === "disconnected" && before.status !== "disconnected") opts.onDisconnected?.();
      },
    });

    const version = (rec: Readonly<Record<string, number>>, key: string): number => (rec[key] ?? 0) + counters().global;

    return {
      connection: conn,
      lastError,
      banner: () => bannerState(conn()),
      pending,
      pendingFor: (name) => pending().filter((p) => p.proxyName === name),
      cached: (name) => cached()[name],
      stats: (name) => stats()[name],
      clientId: (name) => clientIds()[name],
      attached: (name) => attached().has(name),
      logsVersion: (name) => version(counters().logs, name),
      incidentsVersion: () => counters().incidents + counters().global,
      proxiesVersion: () => counters().proxies + counters().global,
      policyVersion: (name) => version(counters().policy, name),
      configVersion: (name) => version(counters().config, name),
      authVersion: () => counters().auth + counters().global,
      start: () => runner.start(),
      stop: () => runner.stop(),
      retry: () => runner.retryNow(),
      onApprovalCreated: (fn) => {
        createdListeners.add(fn);
        return () => createdListeners.delete(fn);
      },
      onProxyDeleted: (fn) => {
        deletedListeners.add(fn);
        return () => deletedListeners.delete(fn);
      },
      markLocalDelete: (name) => {
        localDeletes.add(name);
      },
      removeCachedLocally: (name, key) => {
        const list = state.cached[name];
        if (list === undefined) return;
        publish({ ...state, cached: { ...state.cached, [name]: { ...list, entries: list.entries.filter((e) => e.key !== key) } } });
      },
      clearCachedLocally: (name) => {
        const list = state.cached[name];
        if (list === undefined) return;
        publish({ ...state, cached: { ...state.cached, [name]: { ...list, entries: [] } } });
      },
      snapshot: () => state,
    };
  });
}
