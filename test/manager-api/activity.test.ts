// RuntimeService.GetActivity and PolicyService.GetRuleHits over the real gateway socket, computed
// from real chained decision and operation logs of a proxy that is not running (and of one that is:
// the answer comes from the same files).
import { Code } from "@connectrpc/connect";
import { timestampFromMs, timestampMs } from "@bufbuild/protobuf/wkt";
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ActivityTestLogs } from "../../lib/audit/query/activity-test-logs.ts";
import { loadManagerConfig, loadProxyConfig } from "../../lib/config/index.ts";
import { PolicyService } from "../../lib/gen/mcpacp/api/v1/policy_service_pb.ts";
import { RuntimeService } from "../../lib/gen/mcpacp/api/v1/runtime_service_pb.ts";
import { RuleEffect, RuleHitsKind } from "../../lib/gen/mcpacp/common/v1/policy_pb.ts";
import { proxyLogDir } from "../../lib/paths/index.ts";
import { addProxy, attach, detachAll, failure, violationFields, type ApiHarness, startApiHarness } from "./support.ts";

let h: ApiHarness;
// Record times are relative to when the logs were written; the manager's clock is the real one.
let written = 0;
const MIN = 60_000;

beforeAll(async () => {
  h = await startApiHarness();
  addProxy(h, "busy");
  addProxy(h, "idle");
  written = Date.now();
  const logs = new ActivityTestLogs(proxyLogDir(loadManagerConfig(h.paths).log_dir, "busy"));
  const ago = (ms: number): Date => new Date(written - ms);
  const readDocs = { id: "read-docs", effect: "allow" as const };
  logs.decision(ago(3 * 24 * 60 * MIN), { decision: "allow", matchedRules: [readDocs], finalRule: "read-docs" });
  logs.decision(ago(10 * MIN), { decision: "allow", matchedRules: [readDocs], finalRule: "read-docs", policyEvalMs: 1 });
  logs.decision(ago(10 * MIN), { decision: "deny", finalRule: "default", policyEvalMs: 3 });
  logs.decision(ago(5 * MIN), { decision: "hitl", matchedRules: [{ id: "ask-writes", effect: "hitl" }], finalRule: "ask-writes", policyEvalMs: 2, policyHitlMs: 1500 });
  logs.operation(ago(10 * MIN), { durationMs: 12 });
  logs.operation(ago(5 * MIN), { durationMs: 1600 });

  const policies = h.client(PolicyService);
  const { policyVersion } = await policies.getPolicy({ proxy: "busy" });
  const added = await policies.addRule({
    proxy: "busy",
    expectedPolicyVersion: policyVersion,
    rule: { id: "read-docs", effect: RuleEffect.ALLOW, conditions: { toolName: { values: ["read_*"] } } },
  });
  await policies.addRule({
    proxy: "busy",
    expectedPolicyVersion: added.policyVersion,
    rule: { id: "never-used", effect: RuleEffect.DENY, conditions: { toolName: { values: ["rm_*"] } } },
  });
});
afterAll(async () => {
  await h.close();
});

const runtime = () => h.client(RuntimeService);

describe("GetActivity", () => {
  test("defaults: the last hour in minute buckets, continuous, with counts and latencies where the logs have them", async () => {
    const res = await runtime().getActivity({ proxy: "busy" });
    expect(res.bucketSeconds).toBe(60);
    const starts = res.buckets.map((b) => timestampMs(b.start ?? timestampFromMs(0)));
    expect(starts.length).toBeGreaterThanOrEqual(60);
    for (let i = 1; i < starts.length; i++) expect((starts[i] ?? 0) - (starts[i - 1] ?? 0)).toBe(MIN);
    const until = timestampMs(res.until ?? timestampFromMs(0));
    expect(starts[0] ?? 0).toBeLessThanOrEqual(until - 60 * MIN);
    expect((starts.at(-1) ?? 0) + MIN).toBeGreaterThan(until);

    const bucketAt = (ms: number) => res.buckets[starts.findIndex((s) => s <= ms && ms < s + MIN)];
    const tenAgo = bucketAt(written - 10 * MIN);
    expect(tenAgo).toMatchObject({ allowed: 1n, denied: 1n, hitl: 0n });
    expect(tenAgo?.policyEval).toMatchObject({ count: 2n, minMs: 1, maxMs: 3 });
    expect(tenAgo?.requestDuration).toMatchObject({ count: 1n, p50Ms: 12 });
    const fiveAgo = bucketAt(written - 5 * MIN);
    expect(fiveAgo).toMatchObject({ allowed: 0n, denied: 0n, hitl: 1n });
    expect(fiveAgo?.hitlWait).toMatchObject({ count: 1n, p95Ms: 1500 });
    const total = res.buckets.reduce((n, b) => n + b.allowed + b.denied + b.hitl, 0n);
    expect(total).toBe(3n);
    expect(res.truncated).toBe(false);
    expect(res.scanned).toBeGreaterThanOrEqual(6n);
  });

  test("since and bucket_seconds shape the axis; a running proxy is read from the same files", async () => {
    attach(h, "busy", loadProxyConfig(h.paths, "busy"));
    try {
      const since = timestampFromMs(written - 30 * MIN);
      const res = await runtime().getActivity({ proxy: "busy", since, bucketSeconds: 600 });
      expect(res.bucketSeconds).toBe(600);
      expect(res.buckets.length).toBeGreaterThanOrEqual(4);
      expect(res.buckets.length).toBeLessThanOrEqual(5);
      expect(res.buckets.every((b) => timestampMs(b.start ?? timestampFromMs(1)) % (600 * 1000) === 0)).toBe(true);
      expect(res.buckets.reduce((n, b) => n + b.allowed + b.denied + b.hitl, 0n)).toBe(3n);
    } finally {
      detachAll(h);
    }
  });

  test("a proxy without logs answers empty buckets, not an error", async () => {
    const res = await runtime().getActivity({ proxy: "idle", bucketSeconds: 3600 });
    expect(res.buckets.length).toBeGreaterThanOrEqual(1);
    expect(res.buckets.every((b) => b.allowed === 0n && b.denied === 0n && b.hitl === 0n && b.policyEval?.count === 0n)).toBe(true);
    expect(res.scanned).toBe(0n);
  });

  test("bad arguments are INVALID_ARGUMENT naming the field; an unknown proxy is NOT_FOUND", async () => {
    const small = await failure(runtime().getActivity({ proxy: "busy", bucketSeconds: 5 }));
    expect(small.code).toBe(Code.InvalidArgument);
    expect(small.detail?.code).toBe("VALIDATION_ERROR");
    expect(violationFields(small)).toEqual(["bucket_seconds"]);
    const future = await failure(runtime().getActivity({ proxy: "busy", since: timestampFromMs(Date.now() + 3_600_000) }));
    expect(violationFields(future)).toEqual(["since"]);
    const long = await failure(runtime().getActivity({ proxy: "busy", since: timestampFromMs(Date.now() - 30 * 24 * 3_600_000), bucketSeconds: 60 }));
    expect(long.code).toBe(Code.InvalidArgument);
    expect(long.message).toContain("bucket_seconds of at least");
    const unknown = await failure(runtime().getActivity({ proxy: "nope" }));
    expect(unknown.code).toBe(Code.NotFound);
    expect(unknown.detail?.code).toBe("PROXY_NOT_FOUND");
  });
});

describe("GetRuleHits", () => {
  test("every policy rule (never-matching ones at zero), the built-in final rules, then ids the policy no longer has", async () => {
    const res = await h.client(PolicyService).getRuleHits({ proxy: "busy" });
    const rows = res.rules.map((r) => [r.ruleId, r.kind] as const);
    expect(rows.slice(0, 2)).toEqual([
      ["read-docs", RuleHitsKind.POLICY_RULE],
      ["never-used", RuleHitsKind.POLICY_RULE],
    ]);
    expect(rows.at(-1)).toEqual(["ask-writes", RuleHitsKind.REMOVED_RULE]);
    expect(rows.filter(([, kind]) => kind === RuleHitsKind.BUILT_IN).map(([id]) => id)).toContain("default");

    const readDocs = res.rules[0];
    expect(readDocs).toMatchObject({ hits1h: 1n, hits24h: 1n, hits7d: 2n, final7d: 2n });
    expect(timestampMs(readDocs?.lastHit ?? timestampFromMs(0))).toBe(written - 10 * MIN);
    expect(res.rules[1]?.hits7d).toBe(0n);
    expect(res.rules[1]?.lastHit).toBeUndefined();
    expect(res.rules.find((r) => r.ruleId === "default")).toMatchObject({ hits1h: 1n, final7d: 1n });

    const since = timestampMs(res.scannedSince ?? timestampFromMs(0));
    expect(Date.now() - since).toBeGreaterThanOrEqual(7 * 24 * 60 * MIN);
    expect(res.policyVersion).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(res.truncated).toBe(false);
    expect(res.scanned).toBe(4n);
  });

  test("a proxy without a decisions log lists its rules with zero hits; an empty proxy field is INVALID_ARGUMENT", async () => {
    const res = await h.client(PolicyService).getRuleHits({ proxy: "idle" });
    expect(res.rules.every((r) => r.hits7d === 0n && r.kind === RuleHitsKind.BUILT_IN)).toBe(true);
    const caught = await failure(h.client(PolicyService).getRuleHits({ proxy: "" }));
    expect(caught.code).toBe(Code.InvalidArgument);
    expect(violationFields(caught)).toEqual(["proxy"]);
  });
});
