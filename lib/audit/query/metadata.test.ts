import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { logFilePath } from "../files.ts";
import { writeChain } from "../test-fixtures.ts";
import { backupFileName, listLogBackups, parseBackupFileName } from "./backups.ts";
import { readLogMetadata } from "./metadata.ts";

const dir = mkdtempSync(join(tmpdir(), "mcp-acp-metadata-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("backup names", () => {
  test("UTC stamp, -N for a second backup in the same second; parsed back", () => {
    const at = new Date(Date.UTC(2026, 1, 3, 4, 5, 6));
    expect(backupFileName("operations.jsonl", at)).toBe("operations.broken.2026-02-03_040506.jsonl");
    expect(backupFileName("operations.jsonl", at, 2)).toBe("operations.broken.2026-02-03_040506-2.jsonl");
    expect(parseBackupFileName("config_history.broken.2026-02-03_040506-2.jsonl")).toEqual({ stem: "config_history", createdAt: at, counter: 2 });
    expect(parseBackupFileName("operations.broken.2026-02-30_000000.jsonl")?.createdAt).toBeNull();
    expect(parseBackupFileName("operations.jsonl")).toBeNull();
    expect(parseBackupFileName("operations.broken.2026-02-03.jsonl")).toBeNull();
  });

  test("listing: only the file's own backups, newest first", async () => {
    const audit = join(dir, "list", "audit");
    mkdirSync(audit, { recursive: true });
    for (const name of [
      "operations.broken.2026-01-01_000000.jsonl",
      "operations.broken.2026-01-02_000000.jsonl",
      "operations.broken.2026-01-02_000000-1.jsonl",
      "decisions.broken.2026-01-05_000000.jsonl",
      "operations.jsonl",
    ]) {
      writeFileSync(join(audit, name), "x\n");
    }
    const backups = await listLogBackups(join(audit, "operations.jsonl"));
    expect(backups.map((b) => [b.filename, b.sizeBytes, b.createdAt])).toEqual([
      ["operations.broken.2026-01-02_000000-1.jsonl", 2, "2026-01-02T00:00:00.000Z"],
      ["operations.broken.2026-01-02_000000.jsonl", 2, "2026-01-02T00:00:00.000Z"],
      ["operations.broken.2026-01-01_000000.jsonl", 2, "2026-01-01T00:00:00.000Z"],
    ]);
    expect(await listLogBackups(join(dir, "nowhere", "operations.jsonl"))).toEqual([]);
  });
});

describe("readLogMetadata", () => {
  test("folders, existence, sizes, counts, backups and versions sorted numerically", async () => {
    const logDir = join(dir, "pld");
    writeChain(logFilePath(logDir, "audit/decisions.jsonl"), 4);
    const versions = ["v1", "v2", "v9", "v10", "v2"];
    writeChain(logFilePath(logDir, "system/policy_history.jsonl"), versions.length, null, (i) => ({ event: "policy_loaded", policy_version: versions[i - 1] ?? "v1" }));
    writeFileSync(join(logDir, "audit", "decisions.broken.2026-01-01_000000.jsonl"), "");
    const meta = await readLogMetadata(logDir, { debugEnabled: false, countEntries: true });
    expect(meta.folders.map((f) => [f.name, f.files.map((x) => x.type)])).toEqual([
      ["audit", ["decisions", "operations", "auth"]],
      ["system", ["system", "config_history", "policy_history"]],
      ["debug", ["client_wire", "backend_wire"]],
    ]);
    const decisions = meta.folders[0]?.files[0];
    expect([decisions?.exists, decisions?.entryCount, decisions?.backups.map((b) => b.filename)]).toEqual([true, 4, ["decisions.broken.2026-01-01_000000.jsonl"]]);
    expect((decisions?.sizeBytes ?? 0) > 0).toBe(true);
    const operations = meta.folders[0]?.files[1];
    expect([operations?.exists, operations?.sizeBytes, operations?.entryCount]).toEqual([false, null, null]);
    expect(meta.availablePolicyVersions).toEqual(["v10", "v9", "v2", "v1"]);
    expect([meta.availableConfigVersions, meta.debugEnabled]).toEqual([[], false]);
  });
});
