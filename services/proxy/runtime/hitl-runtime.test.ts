import { describe, expect, test } from "bun:test";
import { createMemoryLogger } from "../relay/log.ts";
import { HitlRuntime } from "./hitl-runtime.ts";

const APPROVER = { subjectId: "alice", channel: "cli" as const };

function runtime(): HitlRuntime {
  return new HitlRuntime({ approvalTtlSeconds: 600, policyVersion: "sha256:v1", logger: createMemoryLogger() });
}

function store(hitl: HitlRuntime, policyVersion: string): number {
  return hitl.cache.store({ subjectId: "alice", toolName: "read_file", paths: ["/w/a"], policyVersion, ruleId: "r", requestId: "1", approvalId: "0123456789abcdef", approver: APPROVER }).length;
}

const result = (status: "success" | "unchanged" | "validation_error", policyVersion: string) => ({ status, trigger: "rpc" as const, oldRulesCount: 1, newRulesCount: 1, policyVersion });

describe("HitlRuntime", () => {
  test("a successful reload empties the cache, counts what it dropped, and refuses entries of the old policy", () => {
    const hitl = runtime();
    expect(store(hitl, "sha256:v1")).toBe(1);
    hitl.onPolicyReload(result("success", "sha256:v2"));
    expect(hitl.clearedByLastReload).toBe(1);
    expect(hitl.cache.list()).toEqual([]);
    expect(store(hitl, "sha256:v1")).toBe(0);
    expect(store(hitl, "sha256:v2")).toBe(1);
  });

  test("an unchanged or failed reload keeps the cache", () => {
    const hitl = runtime();
    store(hitl, "sha256:v1");
    hitl.onPolicyReload(result("unchanged", "sha256:v1"));
    hitl.onPolicyReload(result("validation_error", "sha256:v1"));
    expect(hitl.clearedByLastReload).toBe(0);
    expect(hitl.cache.list().length).toBe(1);
  });

  test("close withdraws pending approvals and refuses new ones", async () => {
    const hitl = runtime();
    const presence = hitl.broker.addPresence("test");
    const input = { subjectId: "alice", backendId: "fs", method: "tools/call", toolName: "deploy", arguments: {}, paths: [], sideEffects: null, matchedRuleId: "r", policyVersion: "sha256:v1", requestId: "1", timeoutSeconds: 30, canCache: false };
    const held = hitl.broker.request(input);
    hitl.close();
    expect(await held).toMatchObject({ kind: "deny", reason: "cancelled", cancelReason: "proxy_shutdown" });
    expect(await hitl.broker.request(input)).toMatchObject({ kind: "deny", reason: "cancelled" });
    presence.release();
  });
});
