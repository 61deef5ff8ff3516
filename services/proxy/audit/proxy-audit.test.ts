import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { appendFileSync, existsSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { AuditVerdict, IntegrityStateStore, auditKeyPath, integrityStatePath } from "../../../lib/audit/index.ts";
import { ProxyAuditError, ProxyAuditErrorCode } from "./errors.ts";
import { AuditHome } from "./test-support.ts";
import { WRITER_LOCK_FILE } from "./writer-lock.ts";

let home: AuditHome;
beforeEach(() => {
  home = new AuditHome();
});
afterEach(() => {
  home.remove();
});

function openError(): ProxyAuditError {
  try {
    home.open();
  } catch (error) {
    if (error instanceof ProxyAuditError) return error;
    throw error;
  }
  throw new Error("ProxyAudit.open succeeded");
}

/** A first run that leaves `n` decisions (and the session records) behind. */
async function firstRun(n = 3): Promise<void> {
  const audit = home.open();
  audit.sessionStarted();
  for (let i = 1; i <= n; i++) audit.writer.write("decisions", { event: "policy_decision", request_id: String(i) });
  await audit.close();
}

describe("ProxyAudit.open: the startup gate", () => {
  test("a first start creates the key (0600 in the config dir), the files and no state rows", async () => {
    const audit = home.open();
    await audit.close();
    expect(statSync(auditKeyPath(home.paths, "unit")).mode & 0o777).toBe(0o600);
    for (const key of ["audit/operations.jsonl", "audit/decisions.jsonl", "audit/auth.jsonl", "system/system.jsonl", "system/config_history.jsonl", "system/policy_history.jsonl"]) {
      expect(statSync(home.file(key)).mode & 0o777).toBe(0o600);
    }
    expect(statSync(join(home.logDir, "audit")).mode & 0o777).toBe(0o700);
    expect(existsSync(join(home.logDir, WRITER_LOCK_FILE))).toBe(false);
  });

  test("a clean second start continues every chain", async () => {
    await firstRun();
    const audit = home.open();
    audit.writer.write("decisions", { event: "policy_decision", request_id: "4" });
    await audit.close();
    expect(home.lines("audit/decisions.jsonl").map((l) => l.sequence)).toEqual([1, 2, 3, 4]);
    expect(home.verify().verdict).toBe(AuditVerdict.Intact);
  });

  test("an edited entry refuses the start, naming the file and the line", async () => {
    await firstRun();
    const path = home.file("audit/decisions.jsonl");
    writeFileSync(path, readFileSync(path, "utf8").replace('"request_id":"2"', '"request_id":"X"'));
    const error = openError();
    expect(error.code).toBe(ProxyAuditErrorCode.IntegrityFailed);
    expect(error.message).toContain("Audit log integrity verification failed");
    expect(error.message).toContain("audit/decisions.jsonl");
    expect(error.hint).toContain("mcp-acp audit verify --proxy unit");
    expect(existsSync(join(home.logDir, WRITER_LOCK_FILE))).toBe(false);
  });

  test("a truncated tail with its state row rewritten to match fails the signature check", async () => {
    await firstRun();
    const path = home.file("audit/decisions.jsonl");
    const lines = readFileSync(path, "utf8").split("\n").filter((l) => l !== "");
    writeFileSync(path, `${lines.slice(0, 2).join("\n")}\n`);
    const second = JSON.parse(lines[1] ?? "{}") as { entry_hash: string };
    const store = IntegrityStateStore.open(integrityStatePath(home.logDir));
    const row = store.get("audit/decisions.jsonl");
    if (row === null) throw new Error("no row");
    store.put({ ...row, sequence: 2, lastHash: second.entry_hash, size: statSync(path).size, offset: Buffer.byteLength(`${lines[0]}\n`) });
    store.close();
    expect(openError().message).toContain("is not signed");
  });

  test("a deleted key beside signed rows refuses the start", async () => {
    await firstRun();
    rmSync(auditKeyPath(home.paths, "unit"));
    expect(openError().message).toContain("the key was deleted");
  });

  test("a torn last line is quarantined to a sidecar with an incident, and the start proceeds", async () => {
    await firstRun();
    const path = home.file("audit/decisions.jsonl");
    const size = statSync(path).size;
    appendFileSync(path, '{"time":"2026-01-01T00:00:00.000Z","sequence":4,"prev');
    const audit = home.open();
    await audit.close();
    const sidecar = readdirSync(join(home.logDir, "audit")).find((f) => f.startsWith("decisions.jsonl.torn."));
    expect(sidecar).toBeDefined();
    expect(readFileSync(join(home.logDir, "audit", sidecar ?? ""), "utf8")).toBe('{"time":"2026-01-01T00:00:00.000Z","sequence":4,"prev');
    expect(statSync(path).size).toBe(size);
    expect(home.lines("shutdowns.jsonl")[0]).toMatchObject({ event: "torn_line_quarantined", context: { file: "audit/decisions.jsonl", truncated_to: size } });
    expect(home.lines("system/system.jsonl").some((l) => l.event === "audit_torn_line_quarantined")).toBe(true);
    expect(home.verify().verdict).toBe(AuditVerdict.Intact);
  });

  test("a state lagging behind its file (crash between append and state update) is advanced with a warning", async () => {
    await firstRun();
    const store = IntegrityStateStore.open(integrityStatePath(home.logDir), { macKey: home.key() });
    const row = store.get("audit/decisions.jsonl");
    if (row === null) throw new Error("no row");
    const first = readFileSync(home.file("audit/decisions.jsonl"), "utf8").split("\n")[0] ?? "";
    store.put({ ...row, sequence: 1, lastHash: String((JSON.parse(first) as { entry_hash: string }).entry_hash), size: Buffer.byteLength(`${first}\n`), offset: 0 });
    store.close();
    const audit = home.open();
    await audit.close();
    const warning = home.lines("system/system.jsonl").find((l) => l.event === "integrity_verification_warning");
    expect(warning).toMatchObject({ level: "WARNING", action: "startup_verification", auto_repair_enabled: false });
    expect(home.verify().files.find((f) => f.name === "decisions")?.state?.sequence).toBe(3);
  });

  test("an emptied file with state refuses the start", async () => {
    await firstRun();
    truncateSync(home.file("audit/auth.jsonl"), 0);
    expect(openError().message).toContain("audit/auth.jsonl is empty");
  });

  test("a live writer lock refuses a second writer; a stale one is taken over", async () => {
    const audit = home.open();
    const error = openError();
    expect(error.code).toBe(ProxyAuditErrorCode.WriterLocked);
    expect(error.message).toContain(`process ${process.pid}`);
    await audit.close();
    writeFileSync(join(home.logDir, WRITER_LOCK_FILE), JSON.stringify({ pid: 2 ** 22 + 12345 }));
    const again = home.open();
    await again.close();
  });
});
