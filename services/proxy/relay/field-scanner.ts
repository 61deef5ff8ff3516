// Reads the top-level "id" and "method" of a JSON object that is too large to keep in memory.
// An oversized line is discarded byte by byte, but the sender still deserves an answer paired
// with its request id, and the SDK writes "id" after "params" — i.e. at the very end of a big
// request — so the whole line is streamed through this small state machine instead of a prefix.
import { isRequestId, type RequestId } from "./jsonrpc.ts";

export interface ScannedFields {
  /** "object" when the line starts with `{`, "array" for `[`, "other" for anything else. */
  root: "object" | "array" | "other" | "empty";
  /** undefined: no top-level "id" seen; null: present but not a valid JSON-RPC id. */
  id: RequestId | null | undefined;
  method: string | undefined;
  hasResultOrError: boolean;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COLON = 0x3a;
const COMMA = 0x2c;

const MAX_KEY_BYTES = 16;
const MAX_VALUE_BYTES = 1024;

type Wanted = "id" | "method" | null;

function isWhitespace(b: number): boolean {
  return b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;
}

export class TopLevelFieldScanner {
  private root: ScannedFields["root"] = "empty";
  private depth = 0;
  private inString = false;
  private escape = false;
  private expectKey = false;
  private keyBytes: number[] | null = null;
  private keyOverflow = false;
  private lastKey: string | null = null;
  /** Which top-level value (after a colon) we still wait to start. */
  private awaiting: Wanted = null;
  private capture: number[] | null = null;
  private captureFor: Wanted = null;
  private captureIsString = false;
  private captureOverflow = false;
  private id: RequestId | null | undefined = undefined;
  private method: string | undefined = undefined;
  private hasResultOrError = false;

  feed(chunk: Uint8Array): void {
    if (this.root === "array" || this.root === "other") return;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i] as number;
      if (this.inString) {
        this.stringByte(b);
        continue;
      }
      if (this.capture !== null && !this.captureIsString) {
        if (isWhitespace(b) || b === COMMA || b === CLOSE_BRACE) this.finishCapture();
        else {
          this.pushCapture(b);
          continue;
        }
      }
      if (isWhitespace(b)) continue;
      if (this.depth === 0) {
        if (this.root !== "empty") continue; // trailing bytes after the root value
        if (b === OPEN_BRACE) {
          this.root = "object";
          this.depth = 1;
          this.expectKey = true;
          continue;
        }
        this.root = b === OPEN_BRACKET ? "array" : "other";
        return;
      }
      this.structuralByte(b);
    }
  }

  result(): ScannedFields {
    if (this.capture !== null && !this.captureIsString) this.finishCapture();
    return { root: this.root, id: this.id, method: this.method, hasResultOrError: this.hasResultOrError };
  }

  private stringByte(b: number): void {
    if (this.capture !== null) this.pushCapture(b);
    else if (this.keyBytes !== null) {
      if (this.keyBytes.length < MAX_KEY_BYTES) this.keyBytes.push(b);
      else this.keyOverflow = true;
    }
    if (this.escape) {
      this.escape = false;
      return;
    }
    if (b === BACKSLASH) {
      this.escape = true;
      return;
    }
    if (b !== QUOTE) return;
    this.inString = false;
    if (this.keyBytes !== null) {
      this.keyBytes.pop(); // the closing quote
      this.lastKey = this.keyOverflow ? null : decodeJsonString(this.keyBytes);
      this.keyBytes = null;
    } else if (this.capture !== null) {
      this.finishCapture();
    }
  }

  private structuralByte(b: number): void {
    const topLevel = this.depth === 1;
    if (b === QUOTE) {
      this.inString = true;
      if (!topLevel) return;
      if (this.expectKey) {
        this.keyBytes = [];
        this.keyOverflow = false;
      } else if (this.awaiting !== null) {
        this.startCapture(b, true);
      }
      return;
    }
    if (b === OPEN_BRACE || b === OPEN_BRACKET) {
      if (topLevel) {
        if (this.awaiting === "id") this.id = null; // present, but a container is never a valid id
        this.awaiting = null;
      }
      this.depth++;
      return;
    }
    if (b === CLOSE_BRACE || b === CLOSE_BRACKET) {
      this.depth--;
      return;
    }
    if (!topLevel) return;
    if (b === COLON) {
      this.expectKey = false;
      const key = this.lastKey;
      this.awaiting = key === "id" || key === "method" ? key : null;
      if (key === "result" || key === "error") this.hasResultOrError = true;
      return;
    }
    if (b === COMMA) {
      this.expectKey = true;
      this.awaiting = null;
      return;
    }
    if (this.awaiting !== null) this.startCapture(b, false);
  }

  private startCapture(first: number, isString: boolean): void {
    this.capture = [first];
    this.captureFor = this.awaiting;
    this.captureIsString = isString;
    this.captureOverflow = false;
    this.awaiting = null;
  }

  private pushCapture(b: number): void {
    const capture = this.capture as number[];
    if (capture.length < MAX_VALUE_BYTES) capture.push(b);
    else this.captureOverflow = true;
  }

  private finishCapture(): void {
    const bytes = this.capture as number[];
    const field = this.captureFor;
    this.capture = null;
    this.captureFor = null;
    let value: unknown = undefined;
    if (!this.captureOverflow) {
      try {
        value = JSON.parse(new TextDecoder().decode(new Uint8Array(bytes)));
      } catch {
        value = undefined;
      }
    }
    if (field === "id") this.id = isRequestId(value) ? value : null;
    else if (field === "method" && typeof value === "string") this.method = value;
  }
}

function decodeJsonString(bytes: number[]): string | null {
  try {
    const text = new TextDecoder().decode(new Uint8Array(bytes));
    const parsed: unknown = JSON.parse(`"${text}"`);
    return typeof parsed === "string" ? parsed : null;
  } catch {
    return null;
  }
}
