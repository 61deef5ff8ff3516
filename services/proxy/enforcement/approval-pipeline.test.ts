// The pipeline's hitl path with the real approval broker and cache on a manual clock: what is
// asked, how each outcome is answered, recorded, counted and timed.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compilePolicy, type Policy } from "../../../lib/policy/index.ts";
import { ApprovalBroker, ApprovalCache, ManualClock, type PendingApprovalView } from "../hitl/index.ts";
import { FORWARD, type RequestContext, type RequestDecision } from "../relay/hooks.ts";
import type { JSONRPCRequest } from "../relay/jsonrpc.ts";
import { createMemoryLogger } from "../relay/log.ts";
import type { LatencyMetric } from "../stats/index.ts";
import { DENIAL_META_KEY } from "./denial.ts";
import { createEnforcementHooks } from "./pipeline.ts";
import type { DecisionRecord } from "./types.ts";

let root = "";
let work = "";

beforeAll(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), "mcp-acp-hitl-pipe-")));
  work = join(root, "work");
  mkdirSync(work);
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

const RULES = (): Policy["rules"] => [
  { id: "ask-deploy", effect: "hitl", description: "Deploys need a human", conditions: { tool_name: "deploy" } },
  { id: "ask-reads", effect: "hitl", conditions: { tool_name: "read_file" }, cache_side_effects: ["fs_read"] },
  { id: "ask-shell", effect: "hitl", conditions: { tool_name: "bash" }, cache_side_effects: ["code_exec", "fs_read", "fs_write", "network_egress", "process_spawn"] },
  { id: "allow-echo", effect: "allow", conditions: { tool_name: "echo" } },
];

function harness() {
  const clock = new ManualClock();
  const cache = new ApprovalCache({ ttlSeconds: 600, clock });
  const broker = new ApprovalBroker({ cache, clock });
  const presence = broker.addPresence("test approver");
  const records: DecisionRecord[] = [];
  const samples: [LatencyMetric, number][] = [];
  const snapshot = compilePolicy({ version: "1", default_action: "deny", combining: "deny-overrides", rules: RULES() });
  cache.setPolicyVersion(snapshot.version);
  const hooks = createEnforcementHooks({
    policy: { snapshot },
    subject: { id: "alice", provenance: "local" },
    proxyName: "fs",
    backendId: "filesystem",
    protectedDirs: [join(root, "config")],
    logger: createMemoryLogger(),
    onDecision: (d) => records.push(d),
    approvals: broker,
    hitlTimeoutSeconds: 30,
    latency: { record: (metric, ms) => samples.push([metric, ms]) },
    cwd: work,
  });
  return { clock, cache, broker, presence, records, samples, hooks, snapshot };
}

let nextId = 1;
function callTool(name: string, args: Record<string, unknown>): JSONRPCRequest {
  return { jsonrpc: "2.0", id: nextId++, method: "tools/call", params: { name, arguments: args } };
}

function start(h: ReturnType<typeof harness>, r: JSONRPCRequest, controller = new AbortController()): Promise<RequestDecision> {
  const ctx: RequestContext = { id: r.id, method: r.method, receivedAt: performance.now(), signal: controller.signal };
  return Promise.resolve(h.hooks.onClientRequest(r, ctx));
}

function onlyPending(h: ReturnType<typeof harness>): PendingApprovalView {
  const [pending, ...more] = h.broker.listPending();
  if (pending === undefined || more.length > 0) throw new Error(`expected one pending approval, got ${h.broker.listPending().length}`);
  return pending;
}

function deniedText(d: RequestDecision): string {
  if (d.kind !== "result") throw new Error(`expected an isError result, got ${d.kind}`);
  return (d.result["content"] as { text: string }[])[0]?.text ?? "";
}

const APPROVER = { subjectId: "alice", channel: "cli" as const };

describe("hitl decisions in the pipeline", () => {
  test("the approval is bound to the request: subject, tool, arguments digest, rule, policy version", async () => {
    const h = harness();
    const r = callTool("deploy", { env: "prod", token: "hunter2hunter2hunter2" });
    const decided = start(h, r);
    const pending = onlyPending(h);
    expect(pending).toMatchObject({
      subjectId: "alice",
      backendId: "filesystem",
      method: "tools/call",
      toolName: "deploy",
      matchedRuleId: "ask-deploy",
      reason: "Deploys need a human",
      policyVersion: h.snapshot.version,
      requestId: String(r.id),
      timeoutSeconds: 30,
      canCache: false,
    });
    expect(pending.argumentsDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(JSON.stringify(pending.argumentsPreview)).not.toContain("hunter2");
    h.broker.resolve(pending.id, "allow_once", { approver: APPROVER });
    expect(await decided).toBe(FORWARD);
  });

  test("allowed once: forwarded, recorded with the approver and approval id, counted once as hitl, wait sampled", async () => {
    const h = harness();
    const decided = start(h, callTool("deploy", { env: "prod" }));
    const pending = onlyPending(h);
    h.clock.advance(1500);
    h.broker.resolve(pending.id, "allow_once", { approver: APPROVER });
    expect(await decided).toBe(FORWARD);
    expect(h.records.at(-1)).toMatchObject({
      decision: "hitl",
      outcome: "forwarded",
      finalRule: "ask-deploy",
      hitl: { outcome: "user_allowed_once", cacheHit: false, approverId: "alice", approvalId: pending.id, waitMs: 1500 },
    });
    expect(h.hooks.counters()).toMatchObject({ hitl: 1, allowed: 0, denied: 0 });
    expect(h.samples.map(([m]) => m)).toEqual(["policy_eval", "hitl_wait"]);
    expect(h.samples[1]).toEqual(["hitl_wait", 1500]);
  });

  test("denied by the human, timed out, withdrawn: each refused with its own kind-only text", async () => {
    const h = harness();
    const denied = start(h, callTool("deploy", { n: 1 }));
    h.broker.resolve(onlyPending(h).id, "deny", { approver: APPROVER });
    const d1 = await denied;
    expect(deniedText(d1)).toBe("Denied by a human approver: tools/call");
    if (d1.kind === "result") expect(d1.result["_meta"]).toEqual({ [DENIAL_META_KEY]: { decision: "hitl", kind: "hitl_denied" } });
    expect(h.records.at(-1)?.hitl?.outcome).toBe("user_denied");

    const timedOut = start(h, callTool("deploy", { n: 2 }));
    const id = onlyPending(h).id;
    h.clock.advance(30_000);
    expect(deniedText(await timedOut)).toBe("Approval timed out; the request was denied: tools/call");
    expect(h.records.at(-1)).toMatchObject({ outcome: "denied", hitl: { outcome: "timeout", approvalId: id, approverId: null, waitMs: 30_000 } });

    const controller = new AbortController();
    const withdrawn = start(h, callTool("deploy", { n: 3 }), controller);
    onlyPending(h);
    controller.abort(new Error("the client cancelled the request"));
    expect(deniedText(await withdrawn)).toBe("Approval withdrawn before a decision; the request was denied: tools/call");
    expect(h.records.at(-1)?.hitl?.outcome).toBe("cancelled");
    expect(h.broker.listPending()).toEqual([]);
    expect(h.hooks.counters()).toMatchObject({ hitl: 3, allowed: 0, denied: 0 });
  });

  test("no approver present: refused at once as no_approver, no approval created", async () => {
    const h = harness();
    h.presence.release();
    const d = await start(h, callTool("deploy", {}));
    expect(deniedText(d)).toBe("Approval required but no approver is available: tools/call");
    expect(h.records.at(-1)).toMatchObject({ reason: "no_approver", hitl: { outcome: "no_approver", approvalId: null, waitMs: 0 } });
  });

  test("allow and cache: the next identical call is forwarded from the cache with 0 ms; code execution is never cached", async () => {
    const h = harness();
    const path = join(work, "notes.txt");
    const first = start(h, callTool("read_file", { path }));
    const pending = onlyPending(h);
    expect(pending).toMatchObject({ canCache: true, path, paths: [path], sideEffects: ["fs_read"] });
    h.broker.resolve(pending.id, "allow_and_cache", { approver: APPROVER });
    expect(await first).toBe(FORWARD);

    expect(await start(h, callTool("read_file", { path }))).toBe(FORWARD);
    expect(h.broker.listPending()).toEqual([]);
    expect(h.records.at(-1)?.hitl).toEqual({ outcome: "user_allowed", cacheHit: true, approverId: "alice", approvalId: pending.id, waitMs: 0 });
    expect(h.samples.filter(([m]) => m === "hitl_wait").at(-1)).toEqual(["hitl_wait", 0]);
    expect(h.hooks.counters()).toMatchObject({ hitl: 2, allowed: 0 });

    const shell = start(h, callTool("bash", { command: "ls" }));
    expect(onlyPending(h).canCache).toBe(false);
    h.broker.resolve(onlyPending(h).id, "deny", { approver: APPROVER });
    await shell;
  });

  test("an allowed call without a human samples proxy_total and policy_eval, never hitl_wait", async () => {
    const h = harness();
    expect(await start(h, callTool("echo", { text: "hi" }))).toBe(FORWARD);
    expect(h.samples.map(([m]) => m)).toEqual(["policy_eval", "proxy_total"]);
    expect(h.samples.every(([, ms]) => ms >= 0)).toBe(true);
  });
});
