// An exclusive lock file without flock (Bun has none). The file appears atomically with its
// content (written to a private temp file, then hard-linked into place, which fails if the lock
// exists), so a reader never sees a half-written owner. Whether a holder is still alive is the
// caller's decision (isHolderAlive); a dead holder's file is broken by renaming it aside first
// and checking that the renamed file is the one judged stale, so two processes cleaning up at
// once cannot delete each other's fresh lock.
import { randomBytes } from "node:crypto";
import { linkSync, lstatSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { ManagerError, ManagerErrorCode, describeError } from "./errors.ts";

export interface LockOwner {
  pid: number;
  /** Random per acquisition: tells this holder's file from any later one. */
  nonce: string;
  /** When the lock was taken (ms since the epoch). */
  createdAt: number;
}

export interface LockFileOptions {
  /** Whether the recorded holder still counts as alive. A corrupt file never does. */
  isHolderAlive: (owner: LockOwner) => boolean | Promise<boolean>;
  /** How long to keep trying while a live holder has the lock. Default 0: one attempt. */
  waitMs?: number;
  /** Pause between attempts while waiting. Default 50 ms. */
  pollMs?: number;
  /** Told about every stale lock removed (owner null: the file was unreadable). */
  onStaleRemoved?: (owner: LockOwner | null) => void;
}

interface OnDisk {
  owner: LockOwner | null;
  ino: number;
  mtimeMs: number;
}

function errnoCode(error: unknown): string | undefined {
  return typeof error === "object" && error !== null && "code" in error && typeof error.code === "string" ? error.code : undefined;
}

function parseOwner(text: string): LockOwner | null {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== "object" || value === null) return null;
    const { pid, nonce, createdAt } = value as Record<string, unknown>;
    if (!Number.isInteger(pid) || typeof nonce !== "string" || typeof createdAt !== "number") return null;
    return { pid: pid as number, nonce, createdAt };
  } catch {
    return null;
  }
}

function readOnDisk(path: string): OnDisk | undefined {
  try {
    const stats = lstatSync(path);
    return { owner: parseOwner(readFileSync(path, "utf8")), ino: stats.ino, mtimeMs: stats.mtimeMs };
  } catch (error) {
    if (errnoCode(error) === "ENOENT") return undefined;
    throw error;
  }
}

function sameLock(a: OnDisk, b: OnDisk): boolean {
  if (a.owner !== null && b.owner !== null) return a.owner.nonce === b.owner.nonce;
  return a.owner === null && b.owner === null && a.ino === b.ino && a.mtimeMs === b.mtimeMs;
}

function lockError(path: string, what: string, error: unknown): ManagerError {
  return new ManagerError(ManagerErrorCode.LockFailed, `Cannot ${what} the lock file ${path}: ${describeError(error)}`, {
    hint: "Check that the runtime directory exists, belongs to you and is writable.",
    cause: error,
  });
}

export class LockFile {
  private constructor(
    readonly path: string,
    readonly owner: LockOwner,
  ) {}

  /** Takes the lock, or returns null when a live holder keeps it for longer than waitMs. */
  static async acquire(path: string, options: LockFileOptions): Promise<LockFile | null> {
    const deadline = Date.now() + (options.waitMs ?? 0);
    for (;;) {
      const owner: LockOwner = { pid: process.pid, nonce: randomBytes(12).toString("hex"), createdAt: Date.now() };
      if (LockFile.tryCreate(path, owner)) return new LockFile(path, owner);
      const current = readOnDisk(path);
      if (current === undefined) continue; // released between our attempt and the read: retry now
      const alive = current.owner !== null && (await options.isHolderAlive(current.owner));
      if (!alive) {
        if (LockFile.breakStale(path, current)) options.onStaleRemoved?.(current.owner);
        continue;
      }
      if (Date.now() >= deadline) return null;
      await Bun.sleep(options.pollMs ?? 50);
    }
  }

  /** The recorded holder of the lock at `path`, if the file exists and is readable. */
  static readOwner(path: string): LockOwner | null | undefined {
    return readOnDisk(path)?.owner;
  }

  /** True while the file on disk is still this holder's. */
  isHeld(): boolean {
    try {
      return readOnDisk(this.path)?.owner?.nonce === this.owner.nonce;
    } catch {
      return false;
    }
  }

  /** Removes the file if it is still ours (never a successor's). */
  release(): void {
    if (!this.isHeld()) return;
    try {
      unlinkSync(this.path);
    } catch (error) {
      if (errnoCode(error) !== "ENOENT") throw lockError(this.path, "remove", error);
    }
  }

  private static tryCreate(path: string, owner: LockOwner): boolean {
    const temp = `${path}.${owner.pid}.${owner.nonce}.tmp`;
    try {
      writeFileSync(temp, JSON.stringify(owner), { mode: 0o600, flag: "wx" });
    } catch (error) {
      throw lockError(path, "create", error);
    }
    try {
      linkSync(temp, path);
      return true;
    } catch (error) {
      if (errnoCode(error) === "EEXIST") return false;
      throw lockError(path, "create", error);
    } finally {
      try {
        unlinkSync(temp);
      } catch {
        // already gone
      }
    }
  }

  /** Moves a stale lock aside; true when the file removed is the one judged stale. */
  private static breakStale(path: string, judged: OnDisk): boolean {
    const aside = `${path}.stale.${process.pid}.${randomBytes(6).toString("hex")}`;
    try {
      renameSync(path, aside);
    } catch (error) {
      if (errnoCode(error) === "ENOENT") return false; // someone else broke it first
      throw lockError(path, "replace the stale", error);
    }
    const moved = readOnDisk(aside);
    if (moved !== undefined && !sameLock(moved, judged)) {
      // A fresh lock was taken between our read and the rename: put it back.
      try {
        linkSync(aside, path);
      } catch {
        // a third process holds the name now; the displaced holder notices via isHeld()
      }
      unlinkSync(aside);
      return false;
    }
    try {
      unlinkSync(aside);
    } catch {
      // already gone
    }
    return true;
  }
}
