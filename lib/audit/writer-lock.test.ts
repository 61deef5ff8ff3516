// The shared writer lock: taken, refused while a live process holds it, stale ones taken over.
import { afterAll, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WRITER_LOCK_FILE, isWriterLockHeld, tryTakeWriterLock, writerLockHolder } from "./writer-lock.ts";

const dir = mkdtempSync(join(tmpdir(), "mcp-acp-lock-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const lockPath = join(dir, WRITER_LOCK_FILE);

test("taken with this pid, held against a second taker, gone after release", () => {
  const first = tryTakeWriterLock(dir);
  if (!first.ok) throw new Error("expected the lock");
  expect(JSON.parse(readFileSync(lockPath, "utf8")).pid).toBe(process.pid);
  expect(writerLockHolder(dir)).toBe(process.pid);
  const second = tryTakeWriterLock(dir);
  expect(second).toEqual({ ok: false, holderPid: process.pid, path: lockPath });
  first.lock.release();
  expect(existsSync(lockPath)).toBe(false);
  expect(writerLockHolder(dir)).toBeNull();
});

test("a lock whose process is gone, or that is unreadable, is taken over", () => {
  const dead = Bun.spawnSync(["true"]).pid;
  for (const content of [JSON.stringify({ pid: dead }), "half-writ"]) {
    writeFileSync(lockPath, content);
    const attempt = tryTakeWriterLock(dir);
    expect(attempt.ok).toBe(true);
    if (attempt.ok) attempt.lock.release();
  }
});

test("release leaves a lock that another process took in the meantime", () => {
  const attempt = tryTakeWriterLock(dir);
  if (!attempt.ok) throw new Error("expected the lock");
  writeFileSync(lockPath, JSON.stringify({ pid: 1 }));
  attempt.lock.release();
  expect(existsSync(lockPath)).toBe(true);
  rmSync(lockPath);
});

test("the taker's name is recorded; isWriterLockHeld follows the holder", () => {
  expect(isWriterLockHeld(dir)).toBe(false);
  const attempt = tryTakeWriterLock(dir, "cli");
  if (!attempt.ok) throw new Error("expected the lock");
  expect(JSON.parse(readFileSync(lockPath, "utf8"))).toMatchObject({ pid: process.pid, holder: "cli" });
  expect(isWriterLockHeld(dir)).toBe(true);
  attempt.lock.release();
  expect(isWriterLockHeld(dir)).toBe(false);
});
