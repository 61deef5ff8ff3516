import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { timestampMs } from "@bufbuild/protobuf/wkt";
import { readDisconnectReason } from "./disconnect-reason.ts";

const dir = mkdtempSync(join(tmpdir(), "mcp-acp-shutdowns-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const now = Date.parse("2026-03-01T12:00:00.000Z");
function withLog(name: string, text: string): string {
  const logDir = join(dir, name);
  mkdirSync(logDir, { recursive: true });
  writeFileSync(join(logDir, "shutdowns.jsonl"), text);
  return logDir;
}
const record = (time: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ time, event: "security_shutdown", failure_type: "audit_failure", reason: "chain broken", exit_code: 10, context: {}, ...extra });

describe("readDisconnectReason", () => {
  test("the last record, when at most 30 s old, is the reason", () => {
    const logDir = withLog("fresh", `${record("2026-03-01T11:00:00.000Z")}\n${record("2026-03-01T11:59:40.000Z")}\n`);
    const reason = readDisconnectReason(logDir, { now });
    expect(reason).toMatchObject({ failureType: "audit_failure", reason: "chain broken", exitCode: 10 });
    expect(timestampMs(reason!.time!)).toBe(now - 20_000);
  });

  test("older than 30 s, missing, malformed, or far in the future: no reason", () => {
    expect(readDisconnectReason(withLog("old", `${record("2026-03-01T11:59:29.000Z")}\n`), { now })).toBeUndefined();
    expect(readDisconnectReason(join(dir, "missing"), { now })).toBeUndefined();
    expect(readDisconnectReason(withLog("garbage", "{not json\n"), { now })).toBeUndefined();
    expect(readDisconnectReason(withLog("no-type", `${record("2026-03-01T11:59:59.000Z", { failure_type: 3 })}\n`), { now })).toBeUndefined();
    expect(readDisconnectReason(withLog("future", `${record("2026-03-01T12:05:00.000Z")}\n`), { now })).toBeUndefined();
    expect(readDisconnectReason(withLog("empty", ""), { now })).toBeUndefined();
  });

  test("the original's microsecond timestamps are understood", () => {
    const logDir = withLog("micro", `${record("2026-03-01T11:59:55.123456+00:00")}\n`);
    expect(readDisconnectReason(logDir, { now })?.exitCode).toBe(10);
  });
});
