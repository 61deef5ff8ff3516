#!/usr/bin/env bun
// Audit chain benchmark. Writes chained operation records with the real sealer into a temp
// MCP_ACP_HOME, then times the full startup verification (verifyFile against the state the writer
// would have recorded) at 200,000 and 1,000,000 records. Also times the durable append path the
// proxy uses (append + fdatasync per record, 2,000 records) against plain unsynced appends of the
// same lines in the same run. Prints one JSON line; progress goes to stderr.

import { closeSync, fdatasyncSync, mkdirSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ChainHead, type JsonObject, VerifyStatus, logFilePath, sealRecord, verifyFile } from "../lib/audit/index.ts";
import { HOME_ENV_VAR, proxyLogDir, resolveAppPaths } from "../lib/paths/index.ts";

const VERIFY_RECORDS = 200_000;
const VERIFY_1M_RECORDS = 1_000_000;
const APPEND_RECORDS = 2_000;
const WRITE_BATCH = 2_000;

const home = mkdtempSync(join(tmpdir(), "mcp-acp-bench-audit-"));
process.env[HOME_ENV_VAR] = home;
const logDir = proxyLogDir(resolveAppPaths().defaultLogBase, "bench");
mkdirSync(logDir, { recursive: true, mode: 0o700 });

// A realistic operations.jsonl record (about 560 bytes on disk), including a non-ASCII path.
function payload(i: number): JsonObject {
  return {
    session_id: "0b5c2f4e-6f1a-4c1e-9a55-2f3d6c7b8a90",
    request_id: String(i),
    method: "tools/call",
    status: i % 20 === 0 ? "Failure" : "Success",
    subject: { subject_id: "alice@example.com" },
    client_id: "claude-desktop",
    backend_id: "filesystem",
    transport: "stdio",
    tool_name: "read_file",
    file_path: `/home/alice/projects/café/notes-${i % 1000}.md`,
    file_extension: ".md",
    arguments_summary: { redacted: true, body_hash: "3f9a2c1e4b5d6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a", payload_length: 87 + (i % 50) },
    config_version: "v3",
    duration: { duration_ms: 1.25 + (i % 300) / 7 },
    response_summary: { size_bytes: 1024 + (i % 4096), body_hash: "9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a3f9a2c1e4b5d6f7a8b" },
  };
}

interface Written {
  path: string;
  head: ChainHead;
  seconds: number;
}

function writeRecords(name: string, count: number): Written {
  const path = logFilePath(logDir, `${name}/operations.jsonl`);
  mkdirSync(join(path, ".."), { recursive: true, mode: 0o700 });
  const fd = openSync(path, "a", 0o600);
  let head: ChainHead | null = null;
  const started = Bun.nanoseconds();
  const base = Date.UTC(2026, 0, 1);
  let batch: string[] = [];
  for (let i = 0; i < count; i++) {
    const sealed = sealRecord(payload(i + 1), head, { time: new Date(base + i) });
    head = sealed.head;
    batch.push(sealed.line);
    if (batch.length === WRITE_BATCH) {
      writeSync(fd, batch.join(""));
      batch = [];
    }
  }
  if (batch.length > 0) writeSync(fd, batch.join(""));
  closeSync(fd);
  return { path, head: head as ChainHead, seconds: (Bun.nanoseconds() - started) / 1e9 };
}

function timeVerify(written: Written, count: number): { records: number; seconds: number; records_per_s: number } {
  const stats = statSync(written.path, { bigint: true });
  const state = { sequence: written.head.sequence, lastHash: written.head.lastHash, inode: stats.ino.toString(), device: stats.dev.toString(), size: Number(stats.size) };
  const started = Bun.nanoseconds();
  const result = verifyFile(written.path, { state });
  const seconds = (Bun.nanoseconds() - started) / 1e9;
  if (result.status !== VerifyStatus.Intact || result.entries !== count) {
    throw new Error(`verification of ${written.path} did not pass: ${result.status}, ${result.entries} entries, ${JSON.stringify(result.problems.slice(0, 3))}`);
  }
  return { records: count, seconds: round(seconds, 3), records_per_s: Math.round(count / seconds) };
}

function timeAppends(synced: boolean): number {
  const path = logFilePath(logDir, `append-${synced ? "synced" : "plain"}/operations.jsonl`);
  mkdirSync(join(path, ".."), { recursive: true, mode: 0o700 });
  const lines: string[] = [];
  let head: ChainHead | null = null;
  for (let i = 0; i < APPEND_RECORDS; i++) {
    const sealed = sealRecord(payload(i + 1), head);
    head = sealed.head;
    lines.push(sealed.line);
  }
  const fd = openSync(path, "a", 0o600);
  const started = Bun.nanoseconds();
  for (const line of lines) {
    writeSync(fd, line);
    if (synced) fdatasyncSync(fd);
  }
  const seconds = (Bun.nanoseconds() - started) / 1e9;
  closeSync(fd);
  return Math.round(APPEND_RECORDS / seconds);
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

try {
  process.stderr.write(`audit-verify: writing ${VERIFY_RECORDS} records\n`);
  const small = writeRecords("small", VERIFY_RECORDS);
  process.stderr.write(`audit-verify: writing ${VERIFY_1M_RECORDS} records\n`);
  const large = writeRecords("large", VERIFY_1M_RECORDS);
  process.stderr.write("audit-verify: verifying\n");
  const verify = timeVerify(small, VERIFY_RECORDS);
  const verify1m = timeVerify(large, VERIFY_1M_RECORDS);
  process.stderr.write("audit-verify: appending\n");
  const unsynced = timeAppends(false);
  const synced = timeAppends(true);
  const result = {
    bench: "audit-verify",
    verify,
    verify_1m_seconds: verify1m.seconds,
    verify_1m_records_per_s: verify1m.records_per_s,
    verify_1m_file_mb: round(statSync(large.path).size / 1048576, 1),
    seal_per_s: Math.round(VERIFY_1M_RECORDS / large.seconds),
    append_synced_per_s: synced,
    append_unsynced_per_s: unsynced,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  rmSync(home, { recursive: true, force: true });
}
