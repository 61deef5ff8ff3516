import { describe, expect, test } from "bun:test";
import { ApprovalCache, type CacheChange, type CacheStoreInput } from "./approval-cache.ts";
import { HitlError, HitlErrorCode } from "./errors.ts";
import { ManualClock } from "./manual-clock.ts";
import { shouldCacheApproval } from "./should-cache.ts";
import type { Approver } from "./types.ts";

const approver: Approver = { subjectId: "alice", channel: "cli" };
const TTL = 600;

function entry(overrides: Partial<CacheStoreInput> = {}): CacheStoreInput {
  return {
    subjectId: "alice",
    toolName: "read_file",
    paths: ["/data/a.txt"],
    policyVersion: "v1",
    ruleId: "rule_hitl1",
    requestId: "7",
    approvalId: "0123456789abcdef",
    approver,
    ...overrides,
  };
}

function setup() {
  const clock = new ManualClock();
  const cache = new ApprovalCache({ ttlSeconds: TTL, clock });
  const changes: CacheChange[] = [];
  cache.onChange((c) => changes.push(c));
  return { clock, cache, changes };
}

describe("shouldCacheApproval", () => {
  test("follows the truth table, code execution never", () => {
    expect(shouldCacheApproval(null, ["fs_read"])).toBe(false);
    expect(shouldCacheApproval(["code_exec"], ["code_exec"])).toBe(false);
    expect(shouldCacheApproval(new Set(["fs_read", "code_exec"] as const), ["fs_read", "code_exec"])).toBe(false);
    expect(shouldCacheApproval(["fs_read"], null)).toBe(false);
    expect(shouldCacheApproval(["fs_read"], ["fs_read", "fs_write"])).toBe(true);
    expect(shouldCacheApproval(["fs_read", "fs_write"], ["fs_read"])).toBe(false);
    expect(shouldCacheApproval(["fs_read"], [])).toBe(false);
    expect(shouldCacheApproval([], [])).toBe(true);
    expect(shouldCacheApproval([], null)).toBe(false);
  });
});

describe("ApprovalCache", () => {
  test("a stored approval covers the same subject, tool and path only", () => {
    const { cache } = setup();
    cache.store(entry());
    const key = { subjectId: "alice", toolName: "read_file", paths: ["/data/a.txt"], policyVersion: "v1", ruleId: "rule_hitl1" };
    const hit = cache.lookup(key);
    expect(hit?.map((e) => [e.subjectId, e.toolName, e.path, e.approvalId, e.approver.subjectId])).toEqual([["alice", "read_file", "/data/a.txt", "0123456789abcdef", "alice"]]);
    expect(cache.lookup({ ...key, subjectId: "bob" })).toBeNull();
    expect(cache.lookup({ ...key, toolName: "write_file" })).toBeNull();
    expect(cache.lookup({ ...key, paths: ["/data/b.txt"] })).toBeNull();
    expect(cache.lookup({ ...key, paths: [] })).toBeNull();
  });

  test("an entry from another policy version or rule does not match", () => {
    const { cache } = setup();
    cache.store(entry());
    const key = { subjectId: "alice", toolName: "read_file", paths: ["/data/a.txt"], policyVersion: "v1", ruleId: "rule_hitl1" };
    expect(cache.lookup({ ...key, policyVersion: "v2" })).toBeNull();
    expect(cache.lookup({ ...key, ruleId: "rule_other" })).toBeNull();
    expect(cache.lookup(key)).not.toBeNull();
  });

  test("several paths: one entry each, and a hit needs all of them", () => {
    const { cache } = setup();
    expect(cache.store(entry({ paths: ["/a", "/b", "/a"] }))).toHaveLength(2);
    const key = { subjectId: "alice", toolName: "read_file", policyVersion: "v1", ruleId: "rule_hitl1" };
    expect(cache.lookup({ ...key, paths: ["/b", "/a"] })).toHaveLength(2);
    expect(cache.lookup({ ...key, paths: ["/a"] })).toHaveLength(1);
    expect(cache.lookup({ ...key, paths: ["/a", "/c"] })).toBeNull();
  });

  test("a call without path or tool is keyed with no path and tool 'unknown'", () => {
    const { cache } = setup();
    const [stored] = cache.store(entry({ toolName: null, paths: [] }));
    expect(stored?.toolName).toBe("unknown");
    expect(stored?.path).toBeNull();
    expect(cache.lookup({ subjectId: "alice", toolName: null, paths: [], policyVersion: "v1", ruleId: "rule_hitl1" })).toHaveLength(1);
  });

  test("an entry lives while its age is at most the TTL, then is evicted on lookup", () => {
    const { cache, clock, changes } = setup();
    cache.store(entry());
    const key = { subjectId: "alice", toolName: "read_file", paths: ["/data/a.txt"], policyVersion: "v1", ruleId: "rule_hitl1" };
    clock.advance(TTL * 1000);
    expect(cache.lookup(key)).not.toBeNull();
    clock.advance(1);
    expect(cache.lookup(key)).toBeNull();
    expect(cache.size).toBe(0);
    expect(changes.at(-1)).toEqual({ kind: "evicted", count: 1 });
  });

  test("storing the same key again refreshes it", () => {
    const { cache, clock } = setup();
    cache.store(entry());
    clock.advance(500_000);
    cache.store(entry({ requestId: "8" }));
    clock.advance(500_000);
    const key = { subjectId: "alice", toolName: "read_file", paths: ["/data/a.txt"], policyVersion: "v1", ruleId: "rule_hitl1" };
    expect(cache.lookup(key)?.[0]?.requestId).toBe("8");
    expect(cache.size).toBe(1);
  });

  test("list evicts expired entries and reports age and remaining life", () => {
    const { cache, clock } = setup();
    cache.store(entry({ paths: ["/old"] }));
    clock.advance(400_000);
    cache.store(entry({ paths: ["/new"] }));
    clock.advance(250_000);
    const list = cache.list();
    expect(list.map((e) => e.path)).toEqual(["/new"]);
    expect(list[0]?.ageSeconds).toBe(250);
    expect(list[0]?.expiresInSeconds).toBe(350);
    expect(list[0]?.expiresAtMs).toBe((list[0]?.storedAtMs ?? 0) + TTL * 1000);
  });

  test("delete removes one entry and says when there is none", () => {
    const { cache, changes } = setup();
    cache.store(entry({ paths: ["/a", "/b"] }));
    const deleted = cache.delete("alice", "read_file", "/a");
    expect(deleted.path).toBe("/a");
    expect(changes.at(-1)).toMatchObject({ kind: "deleted", entry: { path: "/a" } });
    expect(cache.list().map((e) => e.path)).toEqual(["/b"]);
    try {
      cache.delete("alice", "read_file", "/a");
      throw new Error("expected CacheEntryNotFound");
    } catch (error) {
      expect(error).toBeInstanceOf(HitlError);
      expect((error as HitlError).code).toBe(HitlErrorCode.CacheEntryNotFound);
    }
    cache.store(entry({ toolName: null, paths: [] }));
    expect(cache.delete("alice", "", "").toolName).toBe("unknown");
  });

  test("clear and policy reload empty the cache; after a reload only the new version is stored", () => {
    const { cache, changes } = setup();
    cache.store(entry({ paths: ["/a", "/b"] }));
    expect(cache.clear()).toBe(2);
    expect(changes.at(-1)).toEqual({ kind: "cleared", count: 2, reason: "user" });
    cache.store(entry());
    expect(cache.policyReloaded("v2")).toBe(1);
    expect(changes.at(-1)).toEqual({ kind: "cleared", count: 1, reason: "policy_reload" });
    expect(cache.store(entry({ policyVersion: "v1" }))).toEqual([]);
    expect(cache.size).toBe(0);
    expect(cache.store(entry({ policyVersion: "v2" }))).toHaveLength(1);
  });

  test("holds at most maxEntries, dropping the oldest", () => {
    const clock = new ManualClock();
    const cache = new ApprovalCache({ ttlSeconds: TTL, clock, maxEntries: 2 });
    cache.store(entry({ paths: ["/1"] }));
    cache.store(entry({ paths: ["/2"] }));
    cache.store(entry({ paths: ["/3"] }));
    expect(cache.list().map((e) => e.path)).toEqual(["/2", "/3"]);
  });

  test("rejects a TTL that is not positive", () => {
    expect(() => new ApprovalCache({ ttlSeconds: 0 })).toThrow(HitlError);
  });

  test("a throwing listener does not break the cache", () => {
    const errors: unknown[] = [];
    const cache = new ApprovalCache({ ttlSeconds: TTL, clock: new ManualClock(), onListenerError: (e) => errors.push(e) });
    cache.onChange(() => {
      throw new Error("listener broke");
    });
    expect(cache.store(entry())).toHaveLength(1);
    expect(errors).toHaveLength(1);
  });
});
