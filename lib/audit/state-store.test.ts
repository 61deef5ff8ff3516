import { Database } from "bun:sqlite";
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { AuditError, AuditErrorCode } from "./errors.ts";
import { importLegacyIntegrityState } from "./legacy-state.ts";
import { IntegrityStateStore, STATE_FILE_MODE, stateInputFromVerification, type IntegrityStateInput } from "./state-store.ts";
import { thrown, useTempHome, writeChain } from "./test-fixtures.ts";
import { verifyFile } from "./verify.ts";

const home = useTempHome();
afterAll(() => home.cleanup());

let counter = 0;
function dbPath(): string {
  return join(home.logDir, `db-${++counter}`, "state.db");
}

const ROW: IntegrityStateInput = {
  fileKey: "audit/operations.jsonl",
  sequence: 42,
  lastHash: "ab".repeat(32),
  inode: "18446744073709551615",
  device: "66306",
  size: 12_345,
  offset: 12_000,
};

function mode(path: string): number {
  return statSync(path).mode & 0o777;
}

describe("IntegrityStateStore", () => {
  test("put, get, list and delete round trip, inode and device kept exactly beyond 2^53", () => {
    const store = IntegrityStateStore.open(dbPath());
    const written = store.put(ROW);
    expect(written.mac).toBeNull();
    expect(store.get(ROW.fileKey)).toEqual(written);
    expect(store.get(ROW.fileKey)?.inode).toBe("18446744073709551615");
    store.put({ ...ROW, fileKey: "audit/auth.jsonl", sequence: 1 });
    expect(store.list().map((r) => r.fileKey)).toEqual(["audit/auth.jsonl", "audit/operations.jsonl"]);
    store.put({ ...ROW, sequence: 43, lastHash: "cd".repeat(32) });
    expect(store.get(ROW.fileKey)?.sequence).toBe(43);
    expect(store.delete(ROW.fileKey)).toBe(true);
    expect(store.delete(ROW.fileKey)).toBe(false);
    expect(store.get(ROW.fileKey)).toBeNull();
    store.close();
  });

  test("rows survive reopening", () => {
    const path = dbPath();
    const first = IntegrityStateStore.open(path);
    first.put(ROW);
    first.close();
    const second = IntegrityStateStore.open(path, { create: false });
    expect(second.get(ROW.fileKey)?.lastHash).toBe(ROW.lastHash);
    second.close();
  });

  test("WAL journal, synchronous FULL, schema version in meta", () => {
    const path = dbPath();
    const store = IntegrityStateStore.open(path);
    expect(store.journalMode()).toBe("wal");
    expect(store.synchronous()).toBe(2);
    store.close();
    const db = new Database(path, { readonly: true });
    expect(db.query("SELECT value FROM meta WHERE key = 'schema_version'").get()).toEqual({ value: "1" });
    db.close();
  });

  test("the database and its WAL files are 0600 in a 0700 directory", () => {
    const path = dbPath();
    const store = IntegrityStateStore.open(path);
    store.put(ROW);
    expect(mode(path)).toBe(STATE_FILE_MODE);
    expect(mode(`${path}-wal`)).toBe(0o600);
    expect(mode(`${path}-shm`)).toBe(0o600);
    expect(mode(join(path, ".."))).toBe(0o700);
    store.close();
  });

  test("create: false neither creates a missing database nor changes a schema-less one", () => {
    const path = dbPath();
    expect((thrown(() => IntegrityStateStore.open(path, { create: false })) as AuditError).code).toBe(AuditErrorCode.StateNotFound);
    expect(existsSync(path)).toBe(false);
  });

  test("a database written by someone else without our table reads as empty, and refuses writes", () => {
    const path = dbPath();
    IntegrityStateStore.open(path).close();
    const other = join(home.logDir, `other-${counter}.db`);
    new Database(other, { create: true }).close();
    const store = IntegrityStateStore.open(other, { create: false });
    expect(store.list()).toEqual([]);
    expect((thrown(() => store.put(ROW)) as AuditError).code).toBe(AuditErrorCode.StateUnavailable);
    store.close();
  });

  test("a file that is not a database is corrupt", () => {
    const path = dbPath();
    IntegrityStateStore.open(path).close();
    writeFileSync(path, "this is not sqlite, just text long enough to be read as a header......");
    for (const create of [false, true]) {
      expect((thrown(() => IntegrityStateStore.open(path, { create })) as AuditError).code).toBe(AuditErrorCode.StateCorrupt);
    }
  });

  test("a malformed row is corrupt, naming the file key and field", () => {
    const path = dbPath();
    const store = IntegrityStateStore.open(path);
    store.put(ROW);
    store.close();
    const db = new Database(path);
    db.run("UPDATE integrity_state SET last_hash = 'not-a-hash'");
    db.close();
    const reopened = IntegrityStateStore.open(path, { create: false });
    const error = thrown(() => reopened.get(ROW.fileKey)) as AuditError;
    expect(error.code).toBe(AuditErrorCode.StateCorrupt);
    expect(error.message).toContain('"audit/operations.jsonl"');
    expect(error.message).toContain("last_hash");
    reopened.close();
  });

  test("an unknown schema version is refused", () => {
    const path = dbPath();
    IntegrityStateStore.open(path).close();
    const db = new Database(path);
    db.run("UPDATE meta SET value = '9' WHERE key = 'schema_version'");
    db.close();
    expect((thrown(() => IntegrityStateStore.open(path)) as AuditError).message).toContain('schema version "9"');
  });

  test("invalid rows are refused before writing", () => {
    const store = IntegrityStateStore.open(dbPath());
    for (const bad of [{ sequence: 0 }, { lastHash: "GENESIS" }, { inode: "-1" }, { size: -1 }, { offset: ROW.size + 1 }]) {
      expect((thrown(() => store.put({ ...ROW, ...bad })) as AuditError).code).toBe(AuditErrorCode.InvalidChainHead);
    }
    expect(store.list()).toEqual([]);
    store.close();
  });

  test("with a key, rows are signed; a row rewritten without the key fails the check", () => {
    const path = dbPath();
    const key = new Uint8Array(32).fill(7);
    const store = IntegrityStateStore.open(path, { macKey: key });
    const row = store.put(ROW);
    expect(row.mac).toMatch(/^[0-9a-f]{64}$/);
    expect(store.macValid(store.get(ROW.fileKey) as never)).toBe(true);
    store.close();
    // An attacker without the key rewrites the row through SQLite.
    const db = new Database(path);
    db.run("UPDATE integrity_state SET last_sequence = 40");
    db.close();
    const reopened = IntegrityStateStore.open(path, { create: false, macKey: key });
    expect(reopened.macValid(reopened.get(ROW.fileKey) as never)).toBe(false);
    const unsigned = IntegrityStateStore.open(path, { create: false });
    expect(unsigned.macValid(unsigned.get(ROW.fileKey) as never)).toBe(true);
    const otherKey = IntegrityStateStore.open(path, { create: false, macKey: new Uint8Array(32).fill(8) });
    expect(otherKey.macValid(otherKey.get(ROW.fileKey) as never)).toBe(false);
    reopened.close();
    unsigned.close();
    otherKey.close();
  });

  test("stateInputFromVerification records a verified file's head", () => {
    const log = join(home.logDir, `verified-${counter}.jsonl`);
    const chain = writeChain(log, 4);
    const result = verifyFile(log);
    const input = stateInputFromVerification("audit/decisions.jsonl", result);
    const stats = statSync(log, { bigint: true });
    expect(input).toEqual({
      fileKey: "audit/decisions.jsonl",
      sequence: 4,
      lastHash: chain.head.lastHash,
      inode: stats.ino.toString(),
      device: stats.dev.toString(),
      size: Number(stats.size),
      offset: Number(stats.size) - Buffer.byteLength(chain.lines[3] as string),
    });
    expect(stateInputFromVerification("x", verifyFile(join(home.logDir, "nothing.jsonl")))).toBeNull();
  });
});

describe("legacy .integrity_state import (spec §6.5)", () => {
  test("imported once into an empty store, then renamed", () => {
    const dir = join(home.logDir, `legacy-${++counter}`);
    const path = join(dir, "state.db");
    const store = IntegrityStateStore.open(path);
    const legacy = {
      version: 1,
      updated_at: "2025-01-18T10:00:00Z",
      files: { "audit/operations.jsonl": { last_hash: "ef".repeat(32), last_sequence: 7, last_inode: 1234, last_dev: 2049, last_size: 900 } },
    };
    writeFileSync(join(dir, ".integrity_state"), JSON.stringify(legacy, null, 2));
    expect(importLegacyIntegrityState(store, dir)).toBe(1);
    expect(store.get("audit/operations.jsonl")).toMatchObject({ sequence: 7, inode: "1234", device: "2049", size: 900, offset: 0 });
    expect(existsSync(join(dir, ".integrity_state"))).toBe(false);
    expect(JSON.parse(readFileSync(join(dir, ".integrity_state.migrated"), "utf8"))).toEqual(legacy);
    expect(importLegacyIntegrityState(store, dir)).toBe(0);
    store.close();
  });

  test("a bad legacy file is a corrupt state, not an empty one", () => {
    const dir = join(home.logDir, `legacy-bad-${++counter}`);
    const store = IntegrityStateStore.open(join(dir, "state.db"));
    writeFileSync(join(dir, ".integrity_state"), JSON.stringify({ version: 2, files: {} }));
    expect((thrown(() => importLegacyIntegrityState(store, dir)) as AuditError).code).toBe(AuditErrorCode.StateCorrupt);
    store.close();
  });
});
