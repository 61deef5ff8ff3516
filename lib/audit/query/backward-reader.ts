// Reads a file's lines newest first without loading it: chunks are read backwards from an end
// offset and only the unfinished line at the front of the bytes read is kept, so memory stays at
// one chunk plus the longest line, whatever the file's size.

import type { FileHandle } from "node:fs/promises";
import { BACKWARD_CHUNK_BYTES } from "./constants.ts";

const LF = 0x0a;

export interface BackwardLine {
  /** Byte offset of the line's first byte. */
  offset: number;
  /** The line without its newline (a view valid until the next read). */
  bytes: Buffer;
  /** False only for a final fragment without a newline (a write in progress or a torn line). */
  complete: boolean;
}

/** Returns false to stop the scan. */
export type BackwardLineVisitor = (line: BackwardLine) => boolean;

/** Push-style core: ask nextRead(), feed() the bytes, then take lines with next() until null. */
export class BackwardLineReader {
  /** Bytes [position, position + pending.length) not yet handed out; they end at a line boundary. */
  private pending: Buffer = Buffer.alloc(0);
  private position: number;

  constructor(
    end: number,
    private readonly chunkBytes: number = BACKWARD_CHUNK_BYTES,
  ) {
    this.position = end;
  }

  /** The chunk to read next, or null when everything before has been read. */
  nextRead(): { position: number; length: number } | null {
    if (this.position === 0) return null;
    const length = Math.min(this.chunkBytes, this.position);
    return { position: this.position - length, length };
  }

  /** Adds the bytes read at nextRead()'s position (fewer bytes: the file shrank under us). */
  feed(chunk: Buffer): void {
    this.position -= chunk.length;
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([chunk, this.pending]);
  }

  /** The newest line not handed out yet; null when more bytes are needed or none are left. */
  next(): BackwardLine | null {
    const p = this.pending;
    if (p.length === 0) return null;
    const complete = p[p.length - 1] === LF;
    const lineEnd = complete ? p.length - 1 : p.length;
    const newline = lineEnd === 0 ? -1 : p.lastIndexOf(LF, lineEnd - 1);
    if (newline === -1 && this.position > 0) return null;
    const start = newline + 1;
    const line = { offset: this.position + start, bytes: p.subarray(start, lineEnd), complete };
    this.pending = p.subarray(0, start);
    return line;
  }
}

/** Visits the lines ending at or before `end` (a line boundary or the file size), newest first. */
export async function scanLinesBackward(handle: FileHandle, end: number, visit: BackwardLineVisitor, chunkBytes = BACKWARD_CHUNK_BYTES): Promise<void> {
  const reader = new BackwardLineReader(end, chunkBytes);
  for (;;) {
    const line = reader.next();
    if (line !== null) {
      if (!visit(line)) return;
      continue;
    }
    const read = reader.nextRead();
    if (read === null) return;
    const chunk = Buffer.allocUnsafe(read.length);
    let filled = 0;
    while (filled < read.length) {
      const { bytesRead } = await handle.read(chunk, filled, read.length - filled, read.position + filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    if (filled < read.length) {
      // The file was truncated while it was read: what was before the end no longer exists.
      return;
    }
    reader.feed(chunk);
  }
}

/** The line starting at `offset` (without its newline), or null at end of file. */
export async function readLineAt(handle: FileHandle, offset: number, chunkBytes = BACKWARD_CHUNK_BYTES): Promise<Buffer | null> {
  const parts: Buffer[] = [];
  let position = offset;
  for (;;) {
    const chunk = Buffer.allocUnsafe(chunkBytes);
    const { bytesRead } = await handle.read(chunk, 0, chunkBytes, position);
    if (bytesRead === 0) return parts.length === 0 ? null : Buffer.concat(parts);
    const newline = chunk.subarray(0, bytesRead).indexOf(LF);
    if (newline !== -1) {
      parts.push(chunk.subarray(0, newline));
      return Buffer.concat(parts);
    }
    parts.push(chunk.subarray(0, bytesRead));
    position += bytesRead;
  }
}
