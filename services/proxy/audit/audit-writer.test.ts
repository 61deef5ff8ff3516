import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { AuditVerdict, IntegrityStateStore, integrityStatePath } from "../../../lib/audit/index.ts";
import { ProxyAuditError, ProxyAuditErrorCode } from "./errors.ts";
import type { ProxyAudit } from "./proxy-audit.ts";
import { AuditHome } from "./test-support.ts";

let home: AuditHome;
let audit: ProxyAudit;
beforeEach(() => {
  home = new AuditHome();
  audit = home.open();
});
afterEach(async () => {
  await audit.close();
  home.remove();
});

const decision = (i: number) => ({ event: "policy_decision", decision: "allow", request_id: String(i), policy_version: "v1" });

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}

describe("AuditWriter", () => {
  test("decisions are on disk with a signed state row when write() returns; the chain verifies", () => {
    for (let i = 1; i <= 20; i++) audit.writer.write("decisions", decision(i));
    const lines = home.lines("audit/decisions.jsonl");
    expect(lines.map((l) => l.sequence)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(lines[0]?.prev_hash).toBe("GENESIS");
    const store = IntegrityStateStore.open(integrityStatePath(home.logDir), { create: false, macKey: home.key() });
    try {
      const row = store.get("audit/decisions.jsonl");
      expect(row).toMatchObject({ sequence: 20, lastHash: lines[19]?.entry_hash, size: statSync(home.file("audit/decisions.jsonl")).size });
      expect(row !== null && store.macValid(row)).toBe(true);
    } finally {
      store.close();
    }
    expect(statSync(home.file("audit/decisions.jsonl")).mode & 0o777).toBe(0o600);
  });

  test("operations are appended at once and their state follows the group commit", async () => {
    for (let i = 1; i <= 5; i++) audit.writer.write("operations", { method: "tools/call", request_id: String(i) });
    expect(home.lines("audit/operations.jsonl")).toHaveLength(5);
    await audit.close();
    const report = home.verify();
    expect(report.verdict).toBe(AuditVerdict.Intact);
    expect(report.files.find((f) => f.name === "operations")?.state?.sequence).toBe(5);
  });

  test("a replaced decisions file refuses the write, keeps the record in the system log and reports once", () => {
    audit.writer.write("decisions", decision(1));
    const path = home.file("audit/decisions.jsonl");
    renameSync(path, `${path}.moved`);
    writeFileSync(path, "");
    const error = thrown(() => audit.writer.write("decisions", decision(2)));
    expect(error).toBeInstanceOf(ProxyAuditError);
    expect((error as ProxyAuditError).code).toBe(ProxyAuditErrorCode.FileReplaced);
    expect((error as ProxyAuditError).message).toContain("Audit log file replaced or moved");
    expect(audit.shutdown.state).toMatchObject({ failureType: "audit_failure", exitCode: 10, context: { source: "audit_handler", file: "audit/decisions.jsonl", record_kept_in: "system" } });
    const fallback = home.lines("system/system.jsonl").find((l) => l.event === "audit_fallback");
    expect(fallback).toMatchObject({ level: "CRITICAL", source_file: "audit/decisions.jsonl", operation: { request_id: "2" } });
    // Nothing was written to the impostor, and the file stays refused.
    expect(statSync(path).size).toBe(0);
    expect((thrown(() => audit.writer.write("decisions", decision(3))) as ProxyAuditError).code).toBe(ProxyAuditErrorCode.Compromised);
    expect(home.lines("shutdowns.jsonl")).toHaveLength(1);
  });

  test("a deleted audit directory names what is missing", () => {
    rmSync(join(home.logDir, "audit"), { recursive: true });
    const error = thrown(() => audit.writer.write("operations", { method: "ping" })) as ProxyAuditError;
    expect(error.code).toBe(ProxyAuditErrorCode.FileMissing);
    expect(error.message).toBe("Audit log compromised - missing: audit/, audit/operations.jsonl, audit/decisions.jsonl, audit/auth.jsonl");
  });

  test("system log unusable too: the record goes to emergency_audit.jsonl with the proxy named (0600)", () => {
    audit.writer.fileOf("system").compromise(new ProxyAuditError(ProxyAuditErrorCode.WriteFailed, "injected fault"));
    const path = home.file("audit/decisions.jsonl");
    rmSync(path);
    mkdirSync(path);
    expect(() => audit.writer.write("decisions", decision(7))).toThrow(ProxyAuditError);
    const [record] = home.lines(home.emergencyPath);
    expect(record).toMatchObject({
      event: "emergency_audit",
      event_type: "decision",
      source_file: "audit/decisions.jsonl",
      proxy_name: "unit",
      proxy_id: "px_00000000:unit",
      operation: { request_id: "7", proxy_name: "unit" },
    });
    expect(String(record?.failure_reason)).toContain("replaced or moved");
    expect(statSync(home.emergencyPath).mode & 0o777).toBe(0o600);
  });

  test("every fallback unusable: the record is printed on stderr, never dropped", () => {
    audit.writer.fileOf("system").compromise(new ProxyAuditError(ProxyAuditErrorCode.WriteFailed, "injected fault"));
    // The config dir's emergency file cannot be created: a directory is in its way.
    mkdirSync(home.emergencyPath, { recursive: true });
    rmSync(join(home.logDir, "audit"), { recursive: true });
    expect(() => audit.writer.write("decisions", decision(9))).toThrow(ProxyAuditError);
    const text = home.stderrLines.join("");
    expect(text).toContain('"request_id":"9"');
    expect(text).toContain("failed too");
  });

  test("a replaced state database refuses the next decision", () => {
    const statePath = integrityStatePath(home.logDir);
    renameSync(statePath, `${statePath}.old`);
    mkdirSync(statePath);
    const error = thrown(() => audit.writer.write("decisions", decision(1))) as ProxyAuditError;
    expect(error.message).toContain("Integrity state database replaced or moved");
    expect(audit.shutdown.inProgress).toBe(true);
  });
});
