import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { renameSync, writeFileSync } from "node:fs";
import { sha256Hex } from "../../../lib/audit/index.ts";
import { compilePolicy, validatePolicy } from "../../../lib/policy/index.ts";
import { createEnforcementHooks, DECISION_AUDIT_FAILURE_MESSAGE } from "../enforcement/index.ts";
import type { RelayHooks, RequestContext, RequestDecision } from "../relay/hooks.ts";
import type { JSONRPCRequest, JSONRPCResponse } from "../relay/jsonrpc.ts";
import { OPERATION_AUDIT_FAILURE_MESSAGE, SHUTTING_DOWN_MESSAGE } from "./audited-hooks.ts";
import type { ProxyAudit } from "./proxy-audit.ts";
import { AuditHome } from "./test-support.ts";

let home: AuditHome;
let audit: ProxyAudit;
let hooks: RelayHooks;
beforeEach(() => {
  home = new AuditHome();
  audit = home.open();
  const snapshot = compilePolicy(validatePolicy({ version: "1", default_action: "deny", rules: [{ id: "allow-echo", effect: "allow", conditions: { tool_name: "echo" } }] }));
  audit.recordStartupHistory(Buffer.from("{}"), Buffer.from("{}"), snapshot.version);
  audit.setTransport("stdio");
  const enforcement = createEnforcementHooks({
    policy: { snapshot },
    subject: { id: "alice", provenance: "local" },
    proxyName: "unit",
    backendId: "backend",
    protectedDirs: [home.dir],
    logger: audit.logger,
    sessionId: audit.sessionId,
    recordDecision: audit.recordDecision,
  });
  hooks = audit.hooks(enforcement);
});
afterEach(async () => {
  await audit.close();
  home.remove();
});

let nextId = 1;
function call(name: string, args: Record<string, unknown> = {}): { request: JSONRPCRequest; ctx: RequestContext; controller: AbortController } {
  const id = nextId++;
  const request: JSONRPCRequest = { jsonrpc: "2.0", id, method: "tools/call", params: { name, arguments: args } };
  const controller = new AbortController();
  return { request, ctx: { id, method: request.method, receivedAt: performance.now(), signal: controller.signal }, controller };
}

function decide(c: ReturnType<typeof call>): RequestDecision {
  const d = hooks.onClientRequest?.(c.request, c.ctx);
  if (d === undefined || d instanceof Promise) throw new Error("expected a synchronous decision");
  return d;
}

function respond(c: ReturnType<typeof call>, response: JSONRPCResponse): JSONRPCResponse {
  const r = hooks.onBackendResponse?.(response, c.request, c.ctx);
  if (r === undefined || r instanceof Promise) throw new Error("expected a synchronous response");
  return r;
}

describe("audited hooks", () => {
  test("an allowed call: decision before forwarding, operation with hashes and sizes when answered", () => {
    const c = call("echo", { text: "hello" });
    expect(decide(c)).toEqual({ kind: "forward" });
    expect(home.lines("audit/decisions.jsonl").at(-1)).toMatchObject({ decision: "allow", final_rule: "allow-echo", matched_rules: [{ id: "allow-echo", effect: "allow" }], policy_version: "v1", tool_name: "echo", request_id: String(c.request.id), session_id: "session-1" });
    expect(home.lines("audit/operations.jsonl")).toHaveLength(0);
    const result = { content: [{ type: "text", text: "hello" }] };
    respond(c, { jsonrpc: "2.0", id: c.request.id, result });
    const op = home.lines("audit/operations.jsonl").at(-1);
    expect(op).toMatchObject({
      method: "tools/call",
      status: "Success",
      tool_name: "echo",
      transport: "stdio",
      config_version: "v1",
      subject: { subject_id: "alice" },
      arguments_summary: { redacted: true, body_hash: sha256Hex('{"arguments":{"text":"hello"},"name":"echo"}') },
      response_summary: { body_hash: sha256Hex('{"content":[{"text":"hello","type":"text"}]}') },
    });
    expect(JSON.stringify(op)).not.toContain('"hello"');
  });

  test("a denied call: both records before the client sees the refusal", () => {
    const c = call("rm", { path: "/tmp/x\ny" });
    expect(decide(c).kind).toBe("result");
    expect(home.lines("audit/decisions.jsonl").at(-1)).toMatchObject({ decision: "deny", final_rule: "default", path: "/tmp/x\\ny" });
    expect(home.lines("audit/operations.jsonl").at(-1)).toMatchObject({ status: "Failure", error_code: -32001, message: "Policy denied: tools/call", file_path: "/tmp/x\\ny" });
  });

  test("a request id with a line break is logged as unknown, with a CRITICAL invalid_request_id event", () => {
    const c = call("echo");
    const request = { ...c.request, id: "evil\nid" };
    const d = hooks.onClientRequest?.(request, { ...c.ctx, id: request.id });
    expect(d).toEqual({ kind: "forward" });
    expect(home.lines("audit/decisions.jsonl").at(-1)?.request_id).toBe("unknown");
    expect(home.lines("system/system.jsonl").at(-1)).toMatchObject({ event: "invalid_request_id", level: "CRITICAL" });
    expect(String(home.lines("system/system.jsonl").at(-1)?.message)).toContain('"evil\\nid"');
  });

  test("a cancelled forwarded call is completed from the abort", () => {
    const c = call("echo");
    decide(c);
    c.controller.abort(new Error("the client cancelled the request"));
    expect(home.lines("audit/operations.jsonl").at(-1)).toMatchObject({ status: "Failure", error_code: -32603, message: "the client cancelled the request" });
  });

  test("a decision that cannot be written: -32603, never forwarded, and every later request refused before logging", () => {
    const path = home.file("audit/decisions.jsonl");
    renameSync(path, `${path}.gone`);
    const c = call("echo");
    expect(decide(c)).toEqual({ kind: "error", error: { code: -32603, message: DECISION_AUDIT_FAILURE_MESSAGE } });
    expect(audit.shutdown.inProgress).toBe(true);
    const opsBefore = home.lines("audit/operations.jsonl").length;
    expect(decide(call("echo"))).toEqual({ kind: "error", error: { code: -32603, message: SHUTTING_DOWN_MESSAGE } });
    expect(home.lines("audit/operations.jsonl")).toHaveLength(opsBefore);
  });

  test("an operation that cannot be written replaces the backend's answer with -32603", () => {
    const c = call("echo");
    decide(c);
    const path = home.file("audit/operations.jsonl");
    renameSync(path, `${path}.gone`);
    writeFileSync(path, "");
    const answer = respond(c, { jsonrpc: "2.0", id: c.request.id, result: { content: [] } });
    expect(answer).toEqual({ jsonrpc: "2.0", id: c.request.id, error: { code: -32603, message: OPERATION_AUDIT_FAILURE_MESSAGE } });
    expect(audit.shutdown.state?.context).toMatchObject({ file: "audit/operations.jsonl" });
  });
});
