import { Database } from "bun:sqlite";
import { afterAll, describe, expect, test } from "bun:test";
import { copyFileSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PROTECTED_LOG_FILES, integrityStatePath, logFilePath } from "./files.ts";
import { IntegrityStateStore } from "./state-store.ts";
import { readLines, stateFor, useTempHome, writeChain, writeLines } from "./test-fixtures.ts";
import { AuditVerdict, FileIntegrityStatus, StateStoreStatus, verifyLogDir, verifyLogDirAsync } from "./verify-all.ts";
import { IntegrityProblemCode as P } from "./verify-types.ts";

const home = useTempHome();
afterAll(() => home.cleanup());

let counter = 0;
const KEY = new Uint8Array(32).fill(3);

interface Dir {
  logDir: string;
  heads: Map<string, string>;
}

/** A proxy log dir where the writer has chained `counts[i]` records into file i and recorded state. */
function proxyDir(counts: readonly number[] = [5, 4, 3, 2, 1, 1], macKey?: Uint8Array): Dir {
  const logDir = join(home.logDir, `proxy-${++counter}`);
  mkdirSync(logDir, { recursive: true, mode: 0o700 });
  const store = IntegrityStateStore.open(integrityStatePath(logDir), macKey ? { macKey } : {});
  const heads = new Map<string, string>();
  PROTECTED_LOG_FILES.forEach((file, i) => {
    const path = logFilePath(logDir, file.fileKey);
    const count = counts[i] ?? 0;
    if (count === 0) return;
    const chain = writeChain(path, count);
    store.put(stateFor(file.fileKey, path, chain.head));
    heads.set(file.fileKey, chain.head.lastHash);
  });
  store.close();
  return { logDir, heads };
}

function statuses(logDir: string, options = {}): Record<string, FileIntegrityStatus> {
  return Object.fromEntries(verifyLogDir(logDir, options).files.map((f) => [f.name, f.status]));
}

describe("verifyLogDir", () => {
  test("all six files intact → exit 0, each protected with its count", () => {
    const { logDir } = proxyDir();
    const report = verifyLogDir(logDir);
    expect([report.verdict, report.exitCode, report.stateStatus]).toEqual([AuditVerdict.Intact, 0, StateStoreStatus.Present]);
    expect(report.files.map((f) => [f.fileKey, f.status, f.result.entries])).toEqual([
      ["audit/operations.jsonl", FileIntegrityStatus.Protected, 5],
      ["audit/decisions.jsonl", FileIntegrityStatus.Protected, 4],
      ["audit/auth.jsonl", FileIntegrityStatus.Protected, 3],
      ["system/system.jsonl", FileIntegrityStatus.Protected, 2],
      ["system/config_history.jsonl", FileIntegrityStatus.Protected, 1],
      ["system/policy_history.jsonl", FileIntegrityStatus.Protected, 1],
    ]);
    expect(report.totals).toEqual({ protected: 6, unprotected: 0, empty: 0, broken: 0, unverifiable: 0 });
  });

  test("nothing written yet (no files, no state.db) → exit 2, nothing to verify", () => {
    const logDir = join(home.logDir, `fresh-${++counter}`);
    const report = verifyLogDir(logDir);
    expect([report.verdict, report.exitCode, report.stateStatus]).toEqual([AuditVerdict.Unverifiable, 2, StateStoreStatus.NotFound]);
    expect(report.files.every((f) => f.status === FileIntegrityStatus.NotCreated && !f.broken)).toBe(true);
  });

  test("files created empty by the startup probe, no state → empty, exit 2", () => {
    const logDir = join(home.logDir, `probed-${++counter}`);
    for (const file of PROTECTED_LOG_FILES) {
      mkdirSync(join(logFilePath(logDir, file.fileKey), ".."), { recursive: true });
      writeFileSync(logFilePath(logDir, file.fileKey), "");
    }
    const report = verifyLogDir(logDir);
    expect([report.verdict, report.totals.empty]).toEqual([AuditVerdict.Unverifiable, 6]);
  });

  test("some files not created yet → still intact", () => {
    const { logDir } = proxyDir([3, 2, 0, 1, 0, 0]);
    const report = verifyLogDir(logDir);
    expect(report.exitCode).toBe(0);
    expect(statuses(logDir)).toMatchObject({ auth: FileIntegrityStatus.NotCreated, config_history: FileIntegrityStatus.NotCreated });
  });

  test("a selection of files checks only those", () => {
    const { logDir } = proxyDir();
    expect(verifyLogDir(logDir, { files: ["decisions", "system"] }).files.map((f) => f.name)).toEqual(["decisions", "system"]);
  });

  test("the async form gives the same report", async () => {
    const { logDir } = proxyDir();
    writeLines(logFilePath(logDir, "audit/auth.jsonl"), readLines(logFilePath(logDir, "audit/auth.jsonl")).slice(1));
    const { files: asyncFiles, ...asyncRest } = await verifyLogDirAsync(logDir);
    const { files, ...rest } = verifyLogDir(logDir);
    expect(asyncRest).toEqual(rest);
    expect(asyncFiles.map((f) => [f.status, f.result.problems])).toEqual(files.map((f) => [f.status, f.result.problems]));
  });
});

describe("tamper matrix over a proxy's log dir → exit 1, naming file and line", () => {
  function broken(logDir: string, options = {}): Array<[string, FileIntegrityStatus, number, P]> {
    const report = verifyLogDir(logDir, options);
    expect([report.verdict, report.exitCode]).toEqual([AuditVerdict.Tampered, 1]);
    return report.files.filter((f) => f.broken).flatMap((f) => f.result.problems.map((p) => [f.fileKey, f.status, p.line, p.code] as [string, FileIntegrityStatus, number, P]));
  }

  test("edit a field", () => {
    const { logDir } = proxyDir();
    const path = logFilePath(logDir, "audit/decisions.jsonl");
    const lines = readLines(path);
    lines[1] = (lines[1] as string).replace("alice", "mallory");
    writeLines(path, lines);
    expect(broken(logDir)).toEqual([["audit/decisions.jsonl", FileIntegrityStatus.Broken, 2, P.EntryHashMismatch]]);
  });

  test("delete a line", () => {
    const { logDir } = proxyDir();
    const path = logFilePath(logDir, "audit/operations.jsonl");
    const lines = readLines(path);
    lines.splice(2, 1);
    writeLines(path, lines);
    expect(broken(logDir)).toEqual([
      ["audit/operations.jsonl", FileIntegrityStatus.Broken, 3, P.PrevHashMismatch],
      ["audit/operations.jsonl", FileIntegrityStatus.Broken, 3, P.SequenceGap],
    ]);
  });

  test("truncate the tail", () => {
    const { logDir } = proxyDir();
    const path = logFilePath(logDir, "system/system.jsonl");
    writeLines(path, readLines(path).slice(0, 1));
    expect(broken(logDir)).toEqual([["system/system.jsonl", FileIntegrityStatus.StateMismatch, 2, P.StateAhead]]);
  });

  test("truncate and rewrite the state: caught when the state rows are keyed", () => {
    const { logDir } = proxyDir([5, 4, 3, 2, 1, 1], KEY);
    const path = logFilePath(logDir, "audit/operations.jsonl");
    writeLines(path, readLines(path).slice(0, 3));
    const third = JSON.parse(readLines(path)[2] as string) as { entry_hash: string };
    // The attacker rewrites the row to match the cut file, without the key.
    const db = new Database(integrityStatePath(logDir));
    const cut = stateFor("audit/operations.jsonl", path, { sequence: 3, lastHash: third.entry_hash });
    db.query("UPDATE integrity_state SET last_sequence = 3, last_hash = ?, last_size = ?, last_offset = ? WHERE file_key = 'audit/operations.jsonl'").run(
      third.entry_hash,
      cut.size,
      cut.offset,
    );
    db.close();
    const report = verifyLogDir(logDir, { macKey: KEY });
    expect([report.verdict, report.exitCode, report.stateStatus]).toEqual([AuditVerdict.Tampered, 1, StateStoreStatus.Corrupted]);
    const operations = report.files[0];
    expect([operations?.status, operations?.result.problems.map((p) => p.code)]).toEqual([FileIntegrityStatus.StateMismatch, [P.StateCorrupt]]);
    // Without the key the same directory looks intact: that is the limit of an unkeyed state.
    expect(verifyLogDir(logDir).exitCode).toBe(0);
    expect(operations?.result.problems[0]?.reason).toContain("fails its MAC check");
    expect(report.files.slice(1).every((f) => f.status === FileIntegrityStatus.Protected)).toBe(true);
  });

  test("truncate and rewrite the state: caught by a witnessed head", () => {
    const { logDir, heads } = proxyDir();
    const path = logFilePath(logDir, "audit/operations.jsonl");
    writeLines(path, readLines(path).slice(0, 3));
    const store = IntegrityStateStore.open(integrityStatePath(logDir));
    const third = JSON.parse(readLines(path)[2] as string) as { entry_hash: string };
    store.put(stateFor("audit/operations.jsonl", path, { sequence: 3, lastHash: third.entry_hash }));
    store.close();
    expect(verifyLogDir(logDir).exitCode).toBe(0);
    const witnesses = { "audit/operations.jsonl": [{ sequence: 5, entryHash: heads.get("audit/operations.jsonl") as string }] };
    expect(broken(logDir, { witnesses })).toEqual([["audit/operations.jsonl", FileIntegrityStatus.Broken, 4, P.WitnessMissing]]);
  });

  test("replace the file (new inode)", () => {
    const { logDir } = proxyDir();
    const path = logFilePath(logDir, "audit/auth.jsonl");
    copyFileSync(path, `${path}.new`);
    renameSync(`${path}.new`, path);
    expect(broken(logDir)).toEqual([["audit/auth.jsonl", FileIntegrityStatus.StateMismatch, 0, P.FileReplaced]]);
  });

  test("delete the state database", () => {
    const { logDir } = proxyDir();
    for (const suffix of ["", "-wal", "-shm"]) rmSync(`${integrityStatePath(logDir)}${suffix}`, { force: true });
    const report = verifyLogDir(logDir);
    expect(report.stateStatus).toBe(StateStoreStatus.NotFound);
    expect(broken(logDir).map(([key, status, line, code]) => [key, status, line, code])).toEqual(
      PROTECTED_LOG_FILES.map((f) => [f.fileKey, FileIntegrityStatus.StateMismatch, 0, P.StateMissing]),
    );
  });

  test("delete one file's state row", () => {
    const { logDir } = proxyDir();
    const store = IntegrityStateStore.open(integrityStatePath(logDir));
    store.delete("system/policy_history.jsonl");
    store.close();
    expect(broken(logDir)).toEqual([["system/policy_history.jsonl", FileIntegrityStatus.StateMismatch, 0, P.StateMissing]]);
  });

  test("a corrupt state database counts as tampering", () => {
    const { logDir } = proxyDir();
    for (const suffix of ["-wal", "-shm"]) rmSync(`${integrityStatePath(logDir)}${suffix}`, { force: true });
    writeFileSync(integrityStatePath(logDir), "garbage garbage garbage garbage garbage garbage garbage garbage garbage");
    const report = verifyLogDir(logDir);
    expect([report.verdict, report.exitCode, report.stateStatus]).toEqual([AuditVerdict.Tampered, 1, StateStoreStatus.Corrupted]);
    expect(report.stateProblems[0]?.code).toBe(P.StateCorrupt);
  });

  test("torn last line", () => {
    const { logDir } = proxyDir();
    const path = logFilePath(logDir, "audit/operations.jsonl");
    writeFileSync(path, '{"time":"2026-01-01T00:00:00.000Z","seq', { flag: "a" });
    expect(broken(logDir)).toEqual([["audit/operations.jsonl", FileIntegrityStatus.Broken, 6, P.TornLine]]);
  });

  test("state ahead of the file", () => {
    const { logDir } = proxyDir();
    const path = logFilePath(logDir, "audit/decisions.jsonl");
    const store = IntegrityStateStore.open(integrityStatePath(logDir));
    const row = store.get("audit/decisions.jsonl");
    store.put({ ...(row as NonNullable<typeof row>), sequence: 9, lastHash: "9".repeat(64) });
    store.close();
    expect(broken(logDir)).toEqual([["audit/decisions.jsonl", FileIntegrityStatus.StateMismatch, 5, P.StateAhead]]);
    expect(readLines(path)).toHaveLength(4);
  });

  test("a deleted file whose state remains", () => {
    const { logDir } = proxyDir();
    rmSync(logFilePath(logDir, "system/config_history.jsonl"));
    expect(broken(logDir)).toEqual([["system/config_history.jsonl", FileIntegrityStatus.Missing, 0, P.FileMissing]]);
  });

  test("an emptied file whose state remains", () => {
    const { logDir } = proxyDir();
    writeFileSync(logFilePath(logDir, "audit/auth.jsonl"), "");
    expect(broken(logDir)).toEqual([["audit/auth.jsonl", FileIntegrityStatus.Emptied, 0, P.FileEmptied]]);
  });
});

describe("lagging state", () => {
  test("entries appended after the last state update (crash window) → intact with the lag reported", () => {
    const { logDir } = proxyDir();
    const path = logFilePath(logDir, "audit/operations.jsonl");
    const lines = readLines(path);
    const last = JSON.parse(lines[4] as string) as { entry_hash: string };
    writeChain(path, 1, { sequence: 5, lastHash: last.entry_hash });
    const report = verifyLogDir(logDir);
    expect([report.verdict, report.files[0]?.status, report.files[0]?.result.stateLag]).toEqual([AuditVerdict.Intact, FileIntegrityStatus.Protected, 1]);
    expect(verifyLogDir(logDir, { maxStateLag: 0 }).exitCode).toBe(1);
  });
});
