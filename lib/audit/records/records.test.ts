import { describe, expect, test } from "bun:test";
import { canonicalJson } from "../canonical-json.ts";
import { AuditError } from "../errors.ts";
import { sha256Hex } from "../hash.ts";
import { thrown } from "../test-fixtures.ts";
import { buildAuthRecord } from "./auth.ts";
import { escapeLineBreaks, isSafeLogId, logId, round2, withoutNulls } from "./common.ts";
import { buildDecisionRecord } from "./decisions.ts";
import { compareVersions, fileChecksum, historySnapshot, nextVersion } from "./history.ts";
import { FAILURE_EXIT_CODES, buildEmergencyAuditRecord, buildShutdownRecord, formatCrashBreadcrumb, parseCrashBreadcrumb } from "./incidents.ts";
import { backendTransportMessage, buildOperationRecord } from "./operations.ts";
import { argumentsSummary, hashPayload, responseSummary } from "./payload.ts";
import { EMPTY_PSEUDONYM, pseudonymizeId } from "./pseudonym.ts";
import { REDACTED, isSecretKey, redactSecrets, redactToolArguments, stripSnapshotSecrets } from "./redaction.ts";
import { buildSystemRecord } from "./system.ts";
import { operationTypeOf, truncateForWire, wirePayload } from "./wire.ts";

describe("payload digests", () => {
  test("SHA-256 and byte size of the canonical JSON, independent of key order", () => {
    const digest = hashPayload({ b: [1, "é"], a: { y: true, x: null } });
    expect(digest).toEqual(hashPayload({ a: { x: null, y: true }, b: [1, "é"] }));
    const canonical = '{"a":{"x":null,"y":true},"b":[1,"\\u00e9"]}';
    expect(digest).toEqual({ sha256: sha256Hex(canonical), size: canonical.length });
  });

  test("summaries: absent for no params or a null result", () => {
    expect(argumentsSummary(undefined)).toBeUndefined();
    expect(responseSummary(null)).toBeUndefined();
    const params = { name: "read_file", arguments: { path: "/tmp/x" } };
    expect(argumentsSummary(params)).toEqual({ redacted: true, body_hash: sha256Hex(canonicalJson(params)), payload_length: canonicalJson(params).length });
    expect(responseSummary({ content: [] })).toEqual({ size_bytes: 14, body_hash: sha256Hex('{"content":[]}') });
  });
});

describe("redaction", () => {
  test("secret-looking keys are masked at any depth, others kept", () => {
    const input = { user: "al", password: "p", nested: [{ "Api-Key": "k", GITHUB_TOKEN: "t", max_tokens: 5 }], headers: { Authorization: "Bearer x" }, note: null };
    expect(redactSecrets(input)).toEqual({
      user: "al",
      password: REDACTED,
      nested: [{ "Api-Key": REDACTED, GITHUB_TOKEN: REDACTED, max_tokens: 5 }],
      headers: { Authorization: REDACTED },
      note: null,
    });
    expect(input.password).toBe("p");
    expect(isSecretKey("client_secret")).toBe(true);
    expect(isSecretKey("secretary")).toBe(false);
  });

  test("snapshot keys of spec §4.5 are removed at any depth", () => {
    const config = { auth: { oidc: { client_secret: "s", issuer: "i" }, mtls: { client_key_path: "/k", private_key: "x" } }, password: "p", list: [{ secret: 1, ok: 2 }] };
    expect(stripSnapshotSecrets(config)).toEqual({ auth: { oidc: { issuer: "i" }, mtls: {} }, list: [{ ok: 2 }] });
    expect(historySnapshot(config)).toBe(JSON.stringify({ auth: { oidc: { issuer: "i" }, mtls: {} }, list: [{ ok: 2 }] }, null, 2));
  });

  test("backend wire arguments: content fields become their size, secrets masked", () => {
    expect(redactToolArguments({ path: "/a", content: "héllo", data: { x: 1 }, token: "t" })).toEqual({
      path: "/a",
      content: "[REDACTED - 6 bytes]",
      data: "[REDACTED - 7 bytes]",
      token: REDACTED,
    });
    expect(wirePayload({ password: "x", a: 1 }, false)).toBeUndefined();
    expect(wirePayload({ password: "x", a: 1 }, true)).toEqual({ password: REDACTED, a: 1 });
  });
});

describe("common rules", () => {
  test("line breaks in paths are escaped; ids with CR or LF are dropped", () => {
    expect(escapeLineBreaks("/tmp/a\nb\rc\td")).toBe("/tmp/a\\nb\\rc\\td");
    expect([isSafeLogId("abc"), isSafeLogId("a\nb")]).toEqual([true, false]);
    expect([logId(7), logId(null), logId(""), logId("x\r\ny")]).toEqual(["7", "unknown", "unknown", "unknown"]);
    expect(round2(12.3456)).toBe(12.35);
    expect(withoutNulls({ a: 1, b: null, c: undefined, d: 0 }) as object).toEqual({ a: 1, d: 0 });
  });

  test("pseudonyms: sha256: + 8 hex, empty marked, keyed form differs", () => {
    expect(pseudonymizeId("alice")).toBe(`sha256:${sha256Hex("alice").slice(0, 8)}`);
    expect(pseudonymizeId("")).toBe(EMPTY_PSEUDONYM);
    expect(pseudonymizeId("alice", new Uint8Array(32))).toMatch(/^sha256:[0-9a-f]{8}$/);
    expect(pseudonymizeId("alice", new Uint8Array(32))).not.toBe(pseudonymizeId("alice"));
  });
});

describe("record builders", () => {
  test("operations: initialize ids are unknown, nulls omitted, summaries hashed, paths escaped", () => {
    const init = buildOperationRecord({ sessionId: "s1", requestId: 1, method: "initialize", status: "Success", subject: { subject_id: "alice" }, backendId: "fs", durationMs: 1.234, clientId: null, result: { ok: true } });
    expect(init).toEqual({
      session_id: "unknown",
      request_id: "unknown",
      method: "initialize",
      status: "Success",
      subject: { subject_id: "alice" },
      backend_id: "fs",
      duration: { duration_ms: 1.23 },
      response_summary: { size_bytes: 11, body_hash: sha256Hex('{"ok":true}') },
    });
    const call = buildOperationRecord({
      sessionId: "s1",
      requestId: "r\n2",
      status: "Failure",
      errorCode: -32603,
      message: backendTransportMessage("Client failed to connect: ECONNREFUSED"),
      subject: { subject_id: "alice" },
      backendId: "fs",
      toolName: "read_file",
      filePath: "/tmp/a\nb",
      params: { a: 1 },
      durationMs: 5,
      result: { ignored: true },
    });
    expect(call).toMatchObject({ session_id: "s1", request_id: "unknown", method: "unknown", file_path: "/tmp/a\\nb", message: "Proxy→Backend: Proxy failed to connect: ECONNREFUSED" });
    expect(call.arguments_summary?.body_hash).toBe(sha256Hex('{"a":1}'));
    expect(call.response_summary).toBeUndefined();
  });

  test("decisions: total = eval + hitl, hitl omitted at 0, allow-once logged as user_allowed", () => {
    const base = { matchedRules: [{ id: "r1", effect: "hitl" as const }], finalRule: "r1", mcpMethod: "tools/call", backendId: "fs", requestId: "1" };
    const prompted = buildDecisionRecord({ ...base, decision: "hitl", hitlOutcome: "user_allowed_once", policyEvalMs: 0.123, policyHitlMs: 1500.456, policyVersion: "v3" });
    expect(prompted).toMatchObject({ event: "policy_decision", hitl_outcome: "user_allowed", policy_eval_ms: 0.12, policy_hitl_ms: 1500.46, policy_total_ms: 1500.58, policy_version: "v3" });
    const cached = buildDecisionRecord({ ...base, decision: "hitl", hitlCacheHit: true, policyEvalMs: 0.5, policyHitlMs: 0 });
    expect("policy_hitl_ms" in cached).toBe(false);
    expect([cached.policy_total_ms, cached.policy_version]).toEqual([0.5, "unknown"]);
  });

  test("auth: ids pseudonymised, session_ended status follows end_reason", () => {
    const ended = buildAuthRecord({ event_type: "session_ended", end_reason: "session_binding_violation", bound_session_id: "b-1", subject: { subject_id: "alice" } });
    expect(ended).toMatchObject({ status: "Failure", bound_session_id: pseudonymizeId("b-1"), subject: { subject_id: pseudonymizeId("alice") } });
    expect(buildAuthRecord({ event_type: "session_ended", end_reason: "normal" }).status).toBe("Success");
    expect(buildAuthRecord({ event_type: "session_ended", end_reason: "timeout" }).status).toBe("Success");
    expect(thrown(() => buildAuthRecord({ event_type: "token_invalid" }))).toBeInstanceOf(AuditError);
  });

  test("system: always has a level; reserved keys and bad levels refused", () => {
    expect(buildSystemRecord("CRITICAL", "audit_fallback", { message: "m", source_file: "audit/decisions.jsonl", stacktrace: undefined })).toEqual({
      event: "audit_fallback",
      level: "CRITICAL",
      message: "m",
      source_file: "audit/decisions.jsonl",
    });
    expect(thrown(() => buildSystemRecord("WARNING", "x", { sequence: 1 }))).toBeInstanceOf(AuditError);
    expect(thrown(() => buildSystemRecord("INFO" as never, "x"))).toBeInstanceOf(AuditError);
    expect(thrown(() => buildSystemRecord("WARNING", ""))).toBeInstanceOf(AuditError);
  });

  test("history: versions count up numerically, checksum of the bytes", () => {
    expect([nextVersion(undefined), nextVersion("v1"), nextVersion("v41"), nextVersion("garbage"), nextVersion("v0")]).toEqual(["v1", "v2", "v42", "v1", "v1"]);
    expect(["v10", "v2", "v1"].sort(compareVersions)).toEqual(["v1", "v2", "v10"]);
    expect(fileChecksum("abc")).toBe(`sha256:${sha256Hex("abc")}`);
  });

  test("incidents: exit codes by failure type, emergency attribution, breadcrumb round trip", () => {
    expect(buildShutdownRecord("t", "session_binding_violation", "why")).toEqual({ time: "t", event: "security_shutdown", failure_type: "session_binding_violation", reason: "why", exit_code: 15, context: {} });
    expect(FAILURE_EXIT_CODES.audit_failure).toBe(10);
    const emergency = buildEmergencyAuditRecord({ time: "t", eventType: "decision", failureReason: "disk full", sourceFile: "audit/decisions.jsonl", record: { decision: "deny" }, proxyName: "fs", proxyId: "px_1" });
    expect(emergency.operation).toEqual({ decision: "deny", proxy_id: "px_1", proxy_name: "fs" });
    const crumb = { time: "2026-01-01T00:00:00.000Z", failureType: "audit_failure", exitCode: 10, reason: "Audit log file replaced\nor moved", context: { source: "audit_handler" } };
    const text = formatCrashBreadcrumb(crumb);
    expect(text.split("\n")).toHaveLength(6);
    expect(parseCrashBreadcrumb(text)).toEqual({ ...crumb, reason: "Audit log file replaced\\nor moved" });
    expect(parseCrashBreadcrumb("garbage")).toBeNull();
  });

  test("wire: operation type from the tool name, truncation at 1000 chars", () => {
    expect([operationTypeOf("write_file"), operationTypeOf("read_text"), operationTypeOf("delete_x"), operationTypeOf("list_dir"), operationTypeOf("run", { content: 1 }), operationTypeOf("run")]).toEqual([
      "write",
      "read",
      "delete",
      "list",
      "write",
      "other",
    ]);
    expect(truncateForWire("x".repeat(1001))).toBe(`${"x".repeat(1000)}...`);
    expect(truncateForWire("short")).toBe("short");
  });
});
