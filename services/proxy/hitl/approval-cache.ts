// The approval cache (spec policy.md §7.4 with the "Beyond" fixes): in memory, per proxy run.
// One entry per (subject, tool, path); a request touching several paths is covered only when every
// path has a live entry. Entries carry the policy version and rule that asked, and a hit needs
// both to match, so an approval given under an older policy never allows anything under a newer.
import { type HitlClock, systemClock } from "./clock.ts";
import { HitlError, HitlErrorCode } from "./errors.ts";
import type { Approver } from "./types.ts";

export const UNKNOWN_TOOL = "unknown";
export const DEFAULT_MAX_CACHE_ENTRIES = 1000;

export interface CacheKeyInput {
  subjectId: string;
  /** Null when the request names no tool (keyed as "unknown"). */
  toolName: string | null;
  /** Normalised paths, as the matcher saw them; none = one entry with no path. */
  paths: readonly string[];
}

export interface CacheLookupInput extends CacheKeyInput {
  /** Version of the policy the request was evaluated with. */
  policyVersion: string;
  /** The hitl rule that decided. */
  ruleId: string;
}

export interface CacheStoreInput extends CacheLookupInput {
  requestId: string;
  /** The approval whose resolution created the entry. */
  approvalId: string;
  approver: Approver;
}

/** One cache entry as listed. */
export interface CachedApprovalView {
  subjectId: string;
  toolName: string;
  /** Null when the entry is not bound to a path. */
  path: string | null;
  policyVersion: string;
  ruleId: string;
  requestId: string;
  approvalId: string;
  approver: Approver;
  storedAtMs: number;
  expiresAtMs: number;
  /** 1 decimal. */
  ageSeconds: number;
  /** 1 decimal, never negative. */
  expiresInSeconds: number;
}

export type CacheChange =
  | { kind: "stored"; entries: CachedApprovalView[] }
  | { kind: "deleted"; entry: CachedApprovalView }
  | { kind: "cleared"; count: number; reason: "user" | "policy_reload" }
  | { kind: "evicted"; count: number };

export interface ApprovalCacheOptions {
  /** hitl.approval_ttl_seconds: an entry is valid while its age is at most this. */
  ttlSeconds: number;
  clock?: HitlClock;
  /** Beyond this, the oldest entries are dropped (default 1000). */
  maxEntries?: number;
  /** A change listener threw; the cache carries on. */
  onListenerError?: (error: unknown) => void;
}

interface Entry {
  subjectId: string;
  toolName: string;
  path: string | null;
  policyVersion: string;
  ruleId: string;
  requestId: string;
  approvalId: string;
  approver: Approver;
  storedAtMs: number;
  storedAtMono: number;
}

function keyOf(subjectId: string, toolName: string, path: string | null): string {
  return JSON.stringify([subjectId, toolName, path]);
}

function pathKeys(paths: readonly string[]): (string | null)[] {
  const unique = [...new Set(paths.filter((p) => p !== ""))];
  return unique.length === 0 ? [null] : unique;
}

const round1 = (n: number): number => Math.round(n * 10) / 10;

export class ApprovalCache {
  readonly ttlSeconds: number;
  private readonly ttlMs: number;
  private readonly clock: HitlClock;
  private readonly maxEntries: number;
  private readonly onListenerError: (error: unknown) => void;
  // Insertion order = storage order (a re-store moves the key to the end), so the first key is oldest.
  private readonly entries = new Map<string, Entry>();
  private readonly listeners = new Set<(change: CacheChange) => void>();
  private currentVersion: string | null = null;

  constructor(options: ApprovalCacheOptions) {
    if (!Number.isFinite(options.ttlSeconds) || options.ttlSeconds <= 0) {
      throw new HitlError(HitlErrorCode.InvalidRequest, `Approval cache TTL must be a positive number of seconds, got ${options.ttlSeconds} (check hitl.approval_ttl_seconds in config.json)`);
    }
    const max = options.maxEntries ?? DEFAULT_MAX_CACHE_ENTRIES;
    if (!Number.isSafeInteger(max) || max < 1) {
      throw new HitlError(HitlErrorCode.InvalidRequest, `Approval cache maxEntries must be a positive integer, got ${max}`);
    }
    this.ttlSeconds = options.ttlSeconds;
    this.ttlMs = options.ttlSeconds * 1000;
    this.clock = options.clock ?? systemClock;
    this.maxEntries = max;
    this.onListenerError = options.onListenerError ?? (() => {});
  }

  /** Entries held, expired ones not evicted yet included. */
  get size(): number {
    return this.entries.size;
  }

  /** The policy version entries must carry to be stored; null until the first reload is noted. */
  get policyVersion(): string | null {
    return this.currentVersion;
  }

  /** Subscribes to changes (for cached_snapshot events); returns the unsubscribe function. */
  onChange(listener: (change: CacheChange) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /**
   * The entries covering the request, or null. Expired entries met on the way are evicted.
   * A hit needs a live entry for every path with the same policy version and rule.
   */
  lookup(query: CacheLookupInput): CachedApprovalView[] | null {
    const tool = query.toolName ?? UNKNOWN_TOOL;
    const now = this.clock.monotonicMs();
    const found: Entry[] = [];
    let evicted = 0;
    let hit = true;
    for (const path of pathKeys(query.paths)) {
      const key = keyOf(query.subjectId, tool, path);
      const entry = this.entries.get(key);
      if (entry === undefined) {
        hit = false;
        continue;
      }
      if (this.expired(entry, now) || this.staleAgainstCurrent(entry)) {
        this.entries.delete(key);
        evicted += 1;
        hit = false;
        continue;
      }
      if (entry.policyVersion !== query.policyVersion || entry.ruleId !== query.ruleId) hit = false;
      else found.push(entry);
    }
    if (evicted > 0) this.emit({ kind: "evicted", count: evicted });
    return hit ? found.map((e) => this.view(e, now)) : null;
  }

  /**
   * Stores (or refreshes) one entry per path. Returns the stored entries; none when the input's
   * policy version is no longer the current one (a resolution that arrived after a reload).
   */
  store(input: CacheStoreInput): CachedApprovalView[] {
    if (this.currentVersion !== null && input.policyVersion !== this.currentVersion) return [];
    const tool = input.toolName ?? UNKNOWN_TOOL;
    const nowMono = this.clock.monotonicMs();
    const nowEpoch = this.clock.epochMs();
    const stored: Entry[] = [];
    for (const path of pathKeys(input.paths)) {
      const key = keyOf(input.subjectId, tool, path);
      const entry: Entry = {
        subjectId: input.subjectId,
        toolName: tool,
        path,
        policyVersion: input.policyVersion,
        ruleId: input.ruleId,
        requestId: input.requestId,
        approvalId: input.approvalId,
        approver: { ...input.approver },
        storedAtMs: nowEpoch,
        storedAtMono: nowMono,
      };
      this.entries.delete(key);
      this.entries.set(key, entry);
      stored.push(entry);
    }
    const evicted = this.enforceCapacity(nowMono);
    if (evicted > 0) this.emit({ kind: "evicted", count: evicted });
    const views = stored.filter((e) => this.entries.get(keyOf(e.subjectId, e.toolName, e.path)) === e).map((e) => this.view(e, nowMono));
    this.emit({ kind: "stored", entries: views });
    return views;
  }

  /** Every live entry, oldest first; expired ones are evicted first. */
  list(): CachedApprovalView[] {
    const now = this.clock.monotonicMs();
    this.evictExpired(now);
    return [...this.entries.values()].map((e) => this.view(e, now));
  }

  /** Deletes one entry; HitlError(CacheEntryNotFound) when absent. An empty path means none. */
  delete(subjectId: string, toolName: string | null, path: string | null): CachedApprovalView {
    const tool = toolName === null || toolName === "" ? UNKNOWN_TOOL : toolName;
    const p = path === null || path === "" ? null : path;
    const key = keyOf(subjectId, tool, p);
    const entry = this.entries.get(key);
    if (entry === undefined) {
      throw new HitlError(
        HitlErrorCode.CacheEntryNotFound,
        `No cached approval for subject ${JSON.stringify(subjectId)}, tool ${JSON.stringify(tool)}, path ${p === null ? "(none)" : JSON.stringify(p)}; list the cache to see its entries`,
      );
    }
    this.entries.delete(key);
    const view = this.view(entry, this.clock.monotonicMs());
    this.emit({ kind: "deleted", entry: view });
    return view;
  }

  /** Empties the cache on request; returns how many entries were removed. */
  clear(): number {
    return this.clearFor("user");
  }

  /**
   * A policy reload succeeded: empty the cache and accept only entries of `version` from now on,
   * so an approval resolved after the reload is not stored under the old policy.
   */
  policyReloaded(version: string): number {
    this.currentVersion = version;
    return this.clearFor("policy_reload");
  }

  /** Notes the policy version in force at start, without clearing. */
  setPolicyVersion(version: string): void {
    this.currentVersion = version;
  }

  private clearFor(reason: "user" | "policy_reload"): number {
    const count = this.entries.size;
    this.entries.clear();
    this.emit({ kind: "cleared", count, reason });
    return count;
  }

  private expired(entry: Entry, now: number): boolean {
    return now - entry.storedAtMono > this.ttlMs;
  }

  private staleAgainstCurrent(entry: Entry): boolean {
    return this.currentVersion !== null && entry.policyVersion !== this.currentVersion;
  }

  private evictExpired(now: number): void {
    let evicted = 0;
    for (const [key, entry] of this.entries) {
      if (this.expired(entry, now) || this.staleAgainstCurrent(entry)) {
        this.entries.delete(key);
        evicted += 1;
      }
    }
    if (evicted > 0) this.emit({ kind: "evicted", count: evicted });
  }

  private enforceCapacity(now: number): number {
    if (this.entries.size <= this.maxEntries) return 0;
    let evicted = 0;
    for (const [key, entry] of this.entries) {
      if (this.expired(entry, now)) {
        this.entries.delete(key);
        evicted += 1;
      }
    }
    for (const key of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) break;
      this.entries.delete(key);
      evicted += 1;
    }
    return evicted;
  }

  private view(entry: Entry, now: number): CachedApprovalView {
    const ageMs = Math.max(0, now - entry.storedAtMono);
    return {
      subjectId: entry.subjectId,
      toolName: entry.toolName,
      path: entry.path,
      policyVersion: entry.policyVersion,
      ruleId: entry.ruleId,
      requestId: entry.requestId,
      approvalId: entry.approvalId,
      approver: { ...entry.approver },
      storedAtMs: entry.storedAtMs,
      expiresAtMs: entry.storedAtMs + this.ttlMs,
      ageSeconds: round1(ageMs / 1000),
      expiresInSeconds: Math.max(0, round1((this.ttlMs - ageMs) / 1000)),
    };
  }

  private emit(change: CacheChange): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }
}
