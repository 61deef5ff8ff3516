import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AuditError, AuditErrorCode } from "./errors.ts";
import { AUDIT_KEY_BYTES, createAuditKey, readAuditKey } from "./state-key.ts";
import { IntegrityStateStore } from "./state-store.ts";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "mcp-acp-key-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}

describe("audit key", () => {
  test("created 0600 with 32 random bytes, read back; never overwritten; missing is null", () => {
    const path = join(dir, "proxies", "p", "audit.key");
    expect(readAuditKey(path)).toBeNull();
    const key = createAuditKey(path);
    expect(key).toHaveLength(AUDIT_KEY_BYTES);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readAuditKey(path)).toEqual(key);
    expect((thrown(() => createAuditKey(path)) as AuditError).code).toBe(AuditErrorCode.WriteFailed);
    expect(createAuditKey(join(dir, "other.key"))).not.toEqual(key);
  });

  test("a damaged key file is an error, not a missing key", () => {
    const path = join(dir, "audit.key");
    writeFileSync(path, "not hex\n");
    const error = thrown(() => readAuditKey(path)) as AuditError;
    expect(error.code).toBe(AuditErrorCode.StateCorrupt);
    expect(error.message).toContain(path);
  });
});

describe("IntegrityStateStore for a running writer", () => {
  test("synchronous NORMAL on request, and a checkpoint that makes rows durable", () => {
    const path = join(dir, "state.db");
    const store = IntegrityStateStore.open(path, { synchronous: "normal" });
    try {
      expect(store.synchronous()).toBe(1);
      store.put({ fileKey: "audit/decisions.jsonl", sequence: 1, lastHash: "a".repeat(64), inode: "1", device: "2", size: 10, offset: 0 });
      store.checkpoint();
    } finally {
      store.close();
    }
    const reader = IntegrityStateStore.open(path, { create: false });
    try {
      expect(reader.get("audit/decisions.jsonl")?.sequence).toBe(1);
    } finally {
      reader.close();
    }
  });
});
