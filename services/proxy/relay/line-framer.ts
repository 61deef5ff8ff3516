// Newline-delimited framing for MCP's stdio transport, with a per-message size cap. Unlike the
// SDK's ReadBuffer (which closes the whole transport when its buffer overflows), an oversized
// line is skipped on its own: its bytes are streamed through a field scanner and dropped, and the
// caller gets one "oversized" event so it can answer that request and keep serving.
import { type ScannedFields, TopLevelFieldScanner } from "./field-scanner.ts";

export type FrameEvent =
  | { kind: "line"; text: string; bytes: number }
  | { kind: "oversized"; bytes: number; fields: ScannedFields };

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

export class LineFramer {
  private parts: Uint8Array[] = [];
  private partsBytes = 0;
  private scanner: TopLevelFieldScanner | null = null;
  private discardedBytes = 0;
  private readonly decoder = new TextDecoder();

  constructor(readonly maxLineBytes: number) {
    if (!Number.isInteger(maxLineBytes) || maxLineBytes < 1) {
      throw new RangeError(`maxLineBytes must be a positive integer, got ${maxLineBytes}`);
    }
  }

  /** Feeds bytes; calls emit once per complete line (or per skipped oversized line). */
  push(chunk: Uint8Array, emit: (event: FrameEvent) => void): void {
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(NEWLINE, start);
      if (newline === -1) {
        this.append(chunk.subarray(start));
        return;
      }
      this.append(chunk.subarray(start, newline));
      this.completeLine(emit);
      start = newline + 1;
    }
  }

  /** End of stream: a last line without a trailing newline still counts. */
  end(emit: (event: FrameEvent) => void): void {
    if (this.partsBytes > 0 || this.scanner !== null) this.completeLine(emit);
  }

  /** Bytes of the current unfinished line that are held in memory. */
  get bufferedBytes(): number {
    return this.partsBytes;
  }

  private append(piece: Uint8Array): void {
    if (piece.length === 0) return;
    if (this.scanner !== null) {
      this.scanner.feed(piece);
      this.discardedBytes += piece.length;
      return;
    }
    if (this.partsBytes + piece.length <= this.maxLineBytes) {
      this.parts.push(piece);
      this.partsBytes += piece.length;
      return;
    }
    const scanner = new TopLevelFieldScanner();
    for (const part of this.parts) scanner.feed(part);
    scanner.feed(piece);
    this.scanner = scanner;
    this.discardedBytes = this.partsBytes + piece.length;
    this.parts = [];
    this.partsBytes = 0;
  }

  private completeLine(emit: (event: FrameEvent) => void): void {
    if (this.scanner !== null) {
      const fields = this.scanner.result();
      const bytes = this.discardedBytes;
      this.scanner = null;
      this.discardedBytes = 0;
      emit({ kind: "oversized", bytes, fields });
      return;
    }
    const parts = this.parts;
    let bytes = this.partsBytes;
    this.parts = [];
    this.partsBytes = 0;
    if (bytes === 0) return;
    let line: Uint8Array;
    if (parts.length === 1) line = parts[0] as Uint8Array;
    else {
      line = new Uint8Array(bytes);
      let offset = 0;
      for (const part of parts) {
        line.set(part, offset);
        offset += part.length;
      }
    }
    if (line[line.length - 1] === CARRIAGE_RETURN) {
      line = line.subarray(0, line.length - 1);
      bytes--;
    }
    const text = this.decoder.decode(line);
    if (text.trim() === "") return; // blank keep-alive lines are not messages
    emit({ kind: "line", text, bytes });
  }
}
