// Splits a file read in chunks into lines without decoding it: each line reaches the sink as a
// byte range of the chunk buffer (valid only during the call), its 1-based number and byte offset.
// Only the unfinished end of a chunk is carried over, so memory stays at one chunk plus one line.

export interface LineSink {
  /** A complete line at buffer[start, end), newline excluded. */
  acceptLine(buffer: Buffer, start: number, end: number, lineNo: number, offset: number): void;
  /** The bytes after the last newline at end of file. */
  acceptTorn(buffer: Buffer, start: number, end: number, lineNo: number, offset: number): void;
}

const LF = 0x0a;
export const READ_CHUNK_BYTES = 1 << 20;

export class LineSplitter {
  private buffer: Buffer;
  /** Bytes at the start of `buffer` that belong to a line not finished yet. */
  private carry = 0;
  /** File offset of buffer[0]. */
  private base = 0;
  private lineNo = 0;

  /** `startOffset`/`startLine`: where reading begins (a line start) and that line's number. */
  constructor(
    private readonly sink: LineSink,
    startOffset = 0,
    startLine = 1,
    chunkBytes: number = READ_CHUNK_BYTES,
  ) {
    this.buffer = Buffer.allocUnsafe(chunkBytes);
    this.base = startOffset;
    this.lineNo = startLine - 1;
  }

  /** File offset the next read must start at. */
  get readPosition(): number {
    return this.base + this.carry;
  }

  /** Where the next read must put its bytes: buffer, offset and room (grows for very long lines). */
  target(): { buffer: Buffer; offset: number; length: number } {
    if (this.carry === this.buffer.length) {
      const bigger = Buffer.allocUnsafe(this.buffer.length * 2);
      this.buffer.copy(bigger, 0, 0, this.carry);
      this.buffer = bigger;
    }
    return { buffer: this.buffer, offset: this.carry, length: this.buffer.length - this.carry };
  }

  /** Hands every complete line among the `count` bytes just read (at target().offset) to the sink. */
  commit(count: number): void {
    const buffer = this.buffer;
    const end = this.carry + count;
    let start = 0;
    for (;;) {
      const nl = buffer.indexOf(LF, start);
      if (nl === -1 || nl >= end) break;
      this.sink.acceptLine(buffer, start, nl, ++this.lineNo, this.base + start);
      start = nl + 1;
    }
    if (start > 0 && start < end) buffer.copy(buffer, 0, start, end);
    this.carry = end - start;
    this.base += start;
  }

  /** Bytes read past the last newline so far. */
  get pendingBytes(): number {
    return this.carry;
  }

  /** Offset just past the last complete line. */
  get completeSize(): number {
    return this.base;
  }

  /** At end of file: reports the unfinished last line, if any, as torn. */
  finish(): void {
    if (this.carry > 0) this.sink.acceptTorn(this.buffer, 0, this.carry, this.lineNo + 1, this.base);
  }
}
