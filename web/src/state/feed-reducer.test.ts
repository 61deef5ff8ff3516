import { describe, expect, test } from "bun:test";
import { Severity } from "../../../lib/gen/mcpacp/common/v1/severity_pb.ts";
import { applyEvent, beginSync, type FeedEffect, type FeedState, initialFeedState, shutdownToastId } from "./feed-reducer.ts";
import { created, ev, ready, snapshot } from "./test-events.ts";
import type { Event } from "../../../lib/gen/mcpacp/api/v1/event_service_pb.ts";

const NOW = 5_000_000;

function run(events: Event[], start: FeedState = initialFeedState()): { state: FeedState; effects: FeedEffect[] } {
  let state = start;
  const effects: FeedEffect[] = [];
  for (const e of events) {
    const step = applyEvent(state, e, NOW);
    state = step.state;
    effects.push(...step.effects);
  }
  return { state, effects };
}

describe("feed reducer", () => {
  test("a snapshot replaces that proxy's pending, cached and stats and marks it attached", () => {
    const { state } = run([created("fs", "old", 1n), snapshot("fs", 2n, ["a1", "a2"], [30])]);
    expect(state.pending.map((p) => p.approval.id)).toEqual(["a1", "a2"]);
    expect(state.cached.fs?.entries.map((e) => e.toolName)).toEqual(["t0"]);
    expect(state.cached.fs?.entries[0]?.expiresAtMs).toBe(NOW + 30_000);
    expect(state.stats.fs?.requestsTotal).toBe(5n);
    expect(state.attached.has("fs")).toBe(true);
    expect(state.clientIds.fs).toBe("claude-ai");
    expect(state.lastSeq).toBe(2n);
  });

  test("approvals of different proxies with the same id are kept apart", () => {
    const { state } = run([created("fs", "same", 1n, 10), created("web", "same", 2n, 20)]);
    expect(state.pending.map((p) => p.key)).toEqual(["fs/same", "web/same"]);
  });

  test("created → effect with deadline from created_at + timeout; duplicate created is ignored", () => {
    const { state, effects } = run([created("fs", "a", 1n, 1_000_000), created("fs", "a", 2n, 1_000_000)]);
    expect(state.pending).toHaveLength(1);
    expect(state.pending[0]?.deadlineMs).toBe(1_060_000);
    expect(effects.filter((e) => e.kind === "approval-created")).toHaveLength(1);
  });

  test("resolved removes silently; timeout removes with a warning; unknown ids change nothing", () => {
    const base = run([created("fs", "a", 1n), created("fs", "b", 2n)]).state;
    const resolved = run([ev({ seq: 3n, proxyName: "fs", payload: { case: "pendingResolved", value: { resolution: { approvalId: "a" } } } })], base);
    expect(resolved.state.pending.map((p) => p.approval.id)).toEqual(["b"]);
    expect(resolved.effects).toEqual([]);
    const timedOut = run([ev({ seq: 4n, proxyName: "fs", payload: { case: "pendingTimeout", value: { expiry: { approvalId: "b" } } } })], resolved.state);
    expect(timedOut.state.pending).toHaveLength(0);
    expect(timedOut.effects).toEqual([{ kind: "toast", level: "warning", message: "Approval request timed out" }]);
    const again = run([ev({ seq: 5n, proxyName: "fs", payload: { case: "pendingTimeout", value: { expiry: { approvalId: "b" } } } })], timedOut.state);
    expect(again.effects).toEqual([]);
  });

  test("a disconnect drops the proxy's approvals, cache and stats and says why", () => {
    const base = run([snapshot("fs", 1n, ["a"], [60]), snapshot("web", 2n, ["b"])]).state;
    const { state, effects } = run(
      [ev({ seq: 3n, proxyName: "fs", payload: { case: "proxyDisconnected", value: { proxyName: "fs", reason: { reason: "audit log tampered", failureType: "audit_failure" } } } })],
      base,
    );
    expect(state.pending.map((p) => p.proxyName)).toEqual(["web"]);
    expect(state.cached.fs).toBeUndefined();
    expect(state.stats.fs).toBeUndefined();
    expect(state.attached.has("fs")).toBe(false);
    expect(state.counters.proxies).toBe(base.counters.proxies + 1);
    expect(effects).toContainEqual({ kind: "toast", level: "error", message: "Proxy 'fs' stopped: audit log tampered" });
  });

  test("a plain disconnect is an info toast", () => {
    const { effects } = run([ev({ seq: 1n, proxyName: "fs", payload: { case: "proxyDisconnected", value: { proxyName: "fs" } } })]);
    expect(effects).toEqual([{ kind: "toast", level: "info", message: "Proxy 'fs' disconnected" }]);
  });

  test("counters bump for logs, policy, incidents and auth", () => {
    const { state } = run([
      ev({ seq: 1n, proxyName: "fs", payload: { case: "newLogEntries", value: { count: 3 } } }),
      ev({ seq: 2n, proxyName: "fs", payload: { case: "newLogEntries", value: { count: 1 } } }),
      ev({ seq: 3n, proxyName: "fs", severity: Severity.SUCCESS, payload: { case: "policyReloaded", value: { policyVersion: "v2" } } }),
      ev({ seq: 4n, payload: { case: "incidentsUpdated", value: { proxyName: "fs" } } }),
      ev({ seq: 5n, payload: { case: "authLogin", value: { subjectId: "alice" } } }),
    ]);
    expect(state.counters.logs.fs).toBe(2);
    expect(state.counters.policy.fs).toBe(1);
    expect(state.counters.incidents).toBe(1);
    expect(state.counters.auth).toBe(1);
  });

  test("notices toast with their own message, else a default, at the event's severity", () => {
    const { effects } = run([
      ev({ seq: 1n, proxyName: "fs", severity: Severity.SUCCESS, payload: { case: "policyReloaded", value: {} } }),
      ev({ seq: 2n, proxyName: "fs", severity: Severity.ERROR, message: "Policy invalid: rules[0].effect", payload: { case: "policyReloadFailed", value: {} } }),
      ev({ seq: 3n, proxyName: "fs", payload: { case: "backendTimeout", value: {} } }),
    ]);
    expect(effects).toEqual([
      { kind: "toast", level: "success", message: "[fs] Policy reloaded" },
      { kind: "toast", level: "error", message: "[fs] Policy invalid: rules[0].effect" },
      { kind: "toast", level: "info", message: "[fs] Backend timed out" },
    ]);
  });

  test("critical shutdown uses a fixed toast id that the next snapshot dismisses", () => {
    const { effects } = run([
      ev({ seq: 1n, proxyName: "fs", severity: Severity.CRITICAL, payload: { case: "criticalShutdown", value: { reason: "audit tampering" } } }),
      snapshot("fs", 2n),
    ]);
    expect(effects[0]).toEqual({ kind: "toast", level: "critical", message: "Proxy 'fs' is shutting down: audit tampering", id: shutdownToastId("fs") });
    expect(effects).toContainEqual({ kind: "dismiss-toast", id: shutdownToastId("fs") });
  });

  test("a fresh (not resumed) sync drops proxies that sent no snapshot and adopts the head seq", () => {
    const before = run([snapshot("fs", 10n, ["a"]), snapshot("web", 11n, ["b"])]).state;
    const { state, effects } = run([snapshot("web", 3n, ["c"]), ready(3n, false, 20)], beginSync(before));
    expect(state.pending.map((p) => p.key)).toEqual(["web/c"]);
    expect(state.attached.has("fs")).toBe(false);
    expect(state.lastSeq).toBe(3n);
    expect(state.syncing).toBeUndefined();
    expect(effects).toContainEqual({ kind: "ready", resumed: false, keepaliveMs: 20_000 });
  });

  test("a resumed sync keeps what it knew and applies replayed events", () => {
    const before = run([snapshot("fs", 10n, ["a"])]).state;
    const { state } = run([created("fs", "b", 11n, 2_000_000), ready(11n, true)], beginSync(before));
    expect(state.pending.map((p) => p.approval.id)).toEqual(["a", "b"]);
    expect(state.lastSeq).toBe(11n);
  });

  test("proxy deleted emits the navigation effect and clears its state", () => {
    const base = run([snapshot("fs", 1n, ["a"])]).state;
    const { state, effects } = run([ev({ seq: 2n, payload: { case: "proxyDeleted", value: { proxyName: "fs" } } })], base);
    expect(state.pending).toHaveLength(0);
    expect(effects).toEqual([{ kind: "proxy-deleted", proxyName: "fs" }]);
  });

  test("cache entry deleted and cache cleared update the cached list", () => {
    const base = run([snapshot("fs", 1n, [], [60, 120])]).state;
    const one = run([ev({ seq: 2n, proxyName: "fs", payload: { case: "cacheEntryDeleted", value: { subjectId: "alice", toolName: "t0", path: "/p0" } } })], base);
    expect(one.state.cached.fs?.entries.map((e) => e.toolName)).toEqual(["t1"]);
    const all = run([ev({ seq: 3n, proxyName: "fs", payload: { case: "cacheCleared", value: { count: 1 } } })], one.state);
    expect(all.state.cached.fs?.entries).toEqual([]);
  });
});
