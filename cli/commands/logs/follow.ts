// Follows a log file as it grows (spec audit.md §10 `logs tail`, §14 polls): waits for a missing
// file, prints each complete new line once, and copes with the file being truncated (starts over
// at its beginning) or replaced by a new file, e.g. by `audit repair` (drains the old file, then
// follows the new one from its start).
import { open, stat, type FileHandle } from "node:fs/promises";
import { scanLinesBackward } from "../../../lib/audit/query/index.ts";

export const FOLLOW_POLL_MS = 100;
export const WAIT_POLL_MS = 500;
const READ_BYTES = 64 * 1024;
const LF = 0x0a;

export interface FollowEvents {
  /** A complete new line (without its newline). */
  line(text: string): void;
  /** Something the user should know: waiting, truncated, replaced. */
  notice(text: string): void;
  /** The file is open and positioned; `start` is where following begins. */
  ready(start: number, handle: FileHandle): Promise<void>;
}

function errnoCode(error: unknown): string | undefined {
  return typeof error === "object" && error !== null && "code" in error && typeof error.code === "string" ? error.code : undefined;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}

async function inodeOf(path: string): Promise<bigint | null> {
  try {
    return (await stat(path, { bigint: true })).ino;
  } catch (error) {
    if (errnoCode(error) === "ENOENT") return null;
    throw error;
  }
}

/** Offset just after the last complete line before `size` (a torn tail is followed, not skipped). */
async function lastLineBoundary(handle: FileHandle, size: number): Promise<number> {
  let boundary = size;
  await scanLinesBackward(handle, size, (line) => {
    if (!line.complete) boundary = line.offset;
    return false;
  });
  return boundary;
}

class OpenLog {
  private pending: Buffer = Buffer.alloc(0);

  constructor(
    readonly handle: FileHandle,
    readonly inode: bigint,
    public position: number,
  ) {}

  /** Reads what was appended since the last call and emits its complete lines. */
  async drain(emit: (text: string) => void): Promise<void> {
    const buffer = Buffer.allocUnsafe(READ_BYTES);
    for (;;) {
      const { bytesRead } = await this.handle.read(buffer, 0, READ_BYTES, this.position);
      if (bytesRead === 0) return;
      this.position += bytesRead;
      let chunk = Buffer.concat([this.pending, buffer.subarray(0, bytesRead)]);
      let newline = chunk.indexOf(LF);
      while (newline !== -1) {
        const text = chunk.subarray(0, newline).toString("utf8");
        if (text.trim() !== "") emit(text);
        chunk = chunk.subarray(newline + 1);
        newline = chunk.indexOf(LF);
      }
      this.pending = Buffer.from(chunk);
    }
  }

  restart(): void {
    this.position = 0;
    this.pending = Buffer.alloc(0);
  }
}

interface Opened {
  handle: FileHandle;
  inode: bigint;
  /** The file was missing at first: everything in it is new. */
  waited: boolean;
}

async function openWhenPresent(path: string, signal: AbortSignal, events: FollowEvents): Promise<Opened | null> {
  let announced = false;
  while (!signal.aborted) {
    try {
      const handle = await open(path, "r");
      const inode = (await handle.stat({ bigint: true })).ino;
      return { handle, inode, waited: announced };
    } catch (error) {
      if (errnoCode(error) !== "ENOENT") throw error;
    }
    if (!announced) {
      events.notice(`Waiting for ${path} to be created…`);
      announced = true;
    }
    await sleep(WAIT_POLL_MS, signal);
  }
  return null;
}

/**
 * Follows `path` until `signal` aborts. A file that exists at the start is followed from its end;
 * one that appears later, or replaces it, from its start.
 */
export async function followLog(path: string, signal: AbortSignal, events: FollowEvents): Promise<void> {
  let first = true;
  while (!signal.aborted) {
    const opened = await openWhenPresent(path, signal, events);
    if (opened === null) return;
    const size = Number((await opened.handle.stat()).size);
    const start = first && !opened.waited ? await lastLineBoundary(opened.handle, size) : 0;
    const log = new OpenLog(opened.handle, opened.inode, start);
    try {
      if (first) await events.ready(start, opened.handle);
      first = false;
      while (!signal.aborted) {
        await log.drain(events.line);
        const current = await inodeOf(path);
        if (current !== log.inode) {
          await log.drain(events.line); // lines written to the old file before it went away
          events.notice(current === null ? `${path} was removed; waiting for it to come back…` : `${path} was replaced; following the new file.`);
          break;
        }
        const now = Number((await log.handle.stat()).size);
        if (now < log.position) {
          events.notice(`${path} was truncated; following it from its start.`);
          log.restart();
          continue;
        }
        await sleep(FOLLOW_POLL_MS, signal);
      }
    } finally {
      await log.handle.close();
    }
  }
}
