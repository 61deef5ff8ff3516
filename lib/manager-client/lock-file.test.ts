import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LockFile, type LockOwner } from "./lock-file.ts";

const dir = mkdtempSync(join(tmpdir(), "mcp-acp-lock-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const alive = () => true;

async function deadPid(): Promise<number> {
  const child = Bun.spawn([process.execPath, "-e", ""], { stdio: ["ignore", "ignore", "ignore"] });
  await child.exited;
  return child.pid;
}

describe("LockFile", () => {
  test("one holder at a time; release frees it and leaves no files behind", async () => {
    const path = join(dir, "a.lock");
    const first = await LockFile.acquire(path, { isHolderAlive: alive });
    expect(first).not.toBeNull();
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(LockFile.readOwner(path)?.pid).toBe(process.pid);
    expect(await LockFile.acquire(path, { isHolderAlive: alive })).toBeNull();
    first?.release();
    expect(existsSync(path)).toBe(false);
    const second = await LockFile.acquire(path, { isHolderAlive: alive });
    expect(second?.isHeld()).toBe(true);
    second?.release();
    expect(readdirSync(dir).filter((f) => f.startsWith("a.lock"))).toEqual([]);
  });

  test("a lock whose holder is gone is taken over and reported", async () => {
    const path = join(dir, "b.lock");
    const owner: LockOwner = { pid: await deadPid(), nonce: "old", createdAt: Date.now() };
    writeFileSync(path, JSON.stringify(owner));
    const removed: (LockOwner | null)[] = [];
    const lock = await LockFile.acquire(path, {
      isHolderAlive: (o) => o.nonce !== "old",
      onStaleRemoved: (o) => removed.push(o),
    });
    expect(lock?.isHeld()).toBe(true);
    expect(removed.map((o) => o?.nonce)).toEqual(["old"]);
    lock?.release();
  });

  test("an unreadable lock file counts as stale", async () => {
    const path = join(dir, "c.lock");
    writeFileSync(path, "garbage");
    const lock = await LockFile.acquire(path, { isHolderAlive: alive });
    expect(lock?.isHeld()).toBe(true);
    lock?.release();
  });

  test("release never removes a successor's lock", async () => {
    const path = join(dir, "d.lock");
    const lock = await LockFile.acquire(path, { isHolderAlive: alive });
    writeFileSync(path, JSON.stringify({ pid: process.pid, nonce: "successor", createdAt: Date.now() }));
    expect(lock?.isHeld()).toBe(false);
    lock?.release();
    expect(LockFile.readOwner(path)?.nonce).toBe("successor");
  });

  test("racing acquirers of a stale lock: exactly one wins", async () => {
    const path = join(dir, "e.lock");
    writeFileSync(path, JSON.stringify({ pid: await deadPid(), nonce: "stale", createdAt: 0 }));
    const isHolderAlive = (o: LockOwner) => o.nonce !== "stale";
    const results = await Promise.all(Array.from({ length: 8 }, () => LockFile.acquire(path, { isHolderAlive })));
    const winners = results.filter((r) => r !== null);
    expect(winners).toHaveLength(1);
    expect(winners[0]?.isHeld()).toBe(true);
    winners[0]?.release();
  });

  test("waitMs keeps trying until the holder lets go", async () => {
    const path = join(dir, "f.lock");
    const holder = await LockFile.acquire(path, { isHolderAlive: alive });
    setTimeout(() => holder?.release(), 100);
    const waiter = await LockFile.acquire(path, { isHolderAlive: alive, waitMs: 5000, pollMs: 10 });
    expect(waiter?.isHeld()).toBe(true);
    waiter?.release();
  });
});
