// The verifier's side of spec audit.md §5.2: turns one log line, exactly as stored, into the
// canonical bytes its entry_hash covers. It cannot use JSON.parse, which loses number lexemes
// (`1.0` becomes `1`, `1e-05` becomes `1e-5`), so it scans the line itself and re-emits every
// number lexeme unchanged. The same pass picks out the chain fields, so a line is read only once.
//
// It works on the UTF-8 bytes where they lie (the reader's chunk buffer): each value is tracked as
// a byte range of the input while its stored text is already canonical (the usual case for lines
// this project writes), and only re-built in a scratch buffer when it is not (whitespace, escapes,
// non-ASCII text, keys out of order). No string is made per line except the chain fields.

import { canonicalEscapeUnit, compareCodePoints } from "./canonical-json.ts";
import { sha256Hex } from "./hash.ts";

/** How a top-level chain field appeared in the line. */
export enum FieldKind {
  Absent = 0,
  String = 1,
  Number = 2,
  /** Present with another JSON type (object, array, boolean, null). */
  Other = 3,
}

/** Why a line could not be read as JSON, with the 0-based byte position in the line. */
export class LineSyntaxError extends Error {
  override readonly name = "LineSyntaxError";
  constructor(
    readonly position: number,
    readonly detail: string,
  ) {
    super(`${detail} at byte ${position + 1}`);
  }
}

/** Deeper nesting is refused; records never come close, and it bounds the scratch space. */
export const MAX_NESTING = 64;

const enum Ch {
  Tab = 0x09,
  Lf = 0x0a,
  Cr = 0x0d,
  Space = 0x20,
  Quote = 0x22,
  Plus = 0x2b,
  Comma = 0x2c,
  Minus = 0x2d,
  Dot = 0x2e,
  Zero = 0x30,
  One = 0x31,
  Nine = 0x39,
  Colon = 0x3a,
  UpperE = 0x45,
  LBracket = 0x5b,
  Backslash = 0x5c,
  RBracket = 0x5d,
  LowerE = 0x65,
  LBrace = 0x7b,
  RBrace = 0x7d,
}

/** Where a piece of canonical text lies. */
const enum In {
  Source = 0,
  Scratch = 1,
}

const enum Field {
  None = 0,
  Sequence = 1,
  PrevHash = 2,
  EntryHash = 3,
  Time = 4,
}

// Bun and Node Buffers have latin1Slice (faster than toString("latin1", …)); @types/node omits it.
type SliceableBuffer = Buffer & { latin1Slice(start: number, end: number): string };

/** The bytes src[start, end) as a string of one char per byte. */
function latin1(src: Buffer, start: number, end: number): string {
  return (src as SliceableBuffer).latin1Slice(start, end);
}

function isDigit(c: number): boolean {
  return c >= Ch.Zero && c <= Ch.Nine;
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

// Members (or array items) of one container being parsed, pooled per depth and indexed by count.
// A member is two pieces: its key (quotes included) and its value, each a range in the source or
// in the scratch buffer.
class Frame {
  count = 0;
  keyIn: number[] = [];
  keyStart: number[] = [];
  keyEnd: number[] = [];
  /** Decoded key for keys that are not plain ASCII (escapes or UTF-8); "" otherwise. */
  keyText: string[] = [];
  /** First three key bytes packed into an int (0-padded), -1 for keys that are not plain. */
  keyPrefix: number[] = [];
  valueIn: number[] = [];
  valueStart: number[] = [];
  valueEnd: number[] = [];
  /** Member indexes in canonical (code point) order. */
  order: number[] = [];
}

/**
 * A reusable scanner. After `parse(...)` the public fields describe that line and
 * `canonicalHash()` / `canonicalText()` give its canonical form. Reuse one instance per file.
 */
export class LineCanonicalizer {
  sequenceKind = FieldKind.Absent;
  /** The raw lexeme when sequenceKind is Number. */
  sequenceLexeme = "";
  prevHashKind = FieldKind.Absent;
  prevHash = "";
  entryHashKind = FieldKind.Absent;
  entryHash = "";
  timeKind = FieldKind.Absent;
  time = "";

  private src: Buffer = Buffer.alloc(0);
  private lineStart = 0;
  private lineEnd = 0;
  private i = 0;
  private depth = 0;
  private readonly frames: Frame[] = [];
  private scratch: Buffer = Buffer.allocUnsafe(1 << 16);
  private used = 0;
  private canonicalStart = 0;
  private canonicalEnd = 0;

  // Outcome of the last parseValue: its canonical piece and type.
  private kind = FieldKind.Other;
  private valueIn = In.Source;
  private valueStart = 0;
  private valueEnd = 0;
  /** Decoded text of the last string parsed with wantDecoded. */
  private decoded = "";

  /**
   * Parses the line at src[start, end) (no newline). Throws LineSyntaxError when it is not exactly
   * one JSON object in valid UTF-8.
   */
  parse(src: Buffer, start: number, end: number): void {
    this.src = src;
    this.lineStart = start;
    this.lineEnd = end;
    this.i = start;
    this.depth = 0;
    this.used = 0;
    this.sequenceKind = FieldKind.Absent;
    this.prevHashKind = FieldKind.Absent;
    this.entryHashKind = FieldKind.Absent;
    this.timeKind = FieldKind.Absent;
    this.skipWhitespace();
    if (this.at(this.i) !== Ch.LBrace) throw this.fail(this.i, "the line is not a JSON object");
    this.parseObject(true);
    this.canonicalStart = this.valueStart;
    this.canonicalEnd = this.valueEnd;
    this.skipWhitespace();
    if (this.i !== end) throw this.fail(this.i, "unexpected data after the JSON object");
  }

  /** SHA-256 (lowercase hex) of the canonical form of the last line parsed. */
  canonicalHash(): string {
    return sha256Hex(this.scratch.subarray(this.canonicalStart, this.canonicalEnd));
  }

  /** Canonical form of the last line parsed (always ASCII). */
  canonicalText(): string {
    return latin1(this.scratch, this.canonicalStart, this.canonicalEnd);
  }

  /** Byte at position p of the line, or NaN past its end (so comparisons fail, as charCodeAt does). */
  private at(p: number): number {
    return p < this.lineEnd ? (this.src[p] as number) : Number.NaN;
  }

  private fail(position: number, detail: string): LineSyntaxError {
    return new LineSyntaxError(position - this.lineStart, detail);
  }

  // Lines written by the proxy hold no whitespace between tokens: one test, then loop if needed.
  private skipWhitespace(): void {
    let i = this.i;
    let c = this.at(i);
    if (c > Ch.Space) return;
    while (c === Ch.Space || c === Ch.Tab || c === Ch.Lf || c === Ch.Cr) c = this.at(++i);
    this.i = i;
  }

  private frame(): Frame {
    let f = this.frames[this.depth];
    if (f === undefined) {
      f = new Frame();
      this.frames[this.depth] = f;
    }
    f.count = 0;
    return f;
  }

  private enter(): void {
    if (++this.depth > MAX_NESTING) throw this.fail(this.i, `nested deeper than ${MAX_NESTING} levels`);
  }

  // --- scratch output -------------------------------------------------------------------------

  private reserve(n: number): void {
    if (this.used + n <= this.scratch.length) return;
    let size = this.scratch.length * 2;
    while (size < this.used + n) size *= 2;
    const bigger = Buffer.allocUnsafe(size);
    this.scratch.copy(bigger, 0, 0, this.used);
    this.scratch = bigger;
  }

  private emitByte(b: number): void {
    this.reserve(1);
    this.scratch[this.used++] = b;
  }

  private emitAscii(text: string): void {
    this.reserve(text.length);
    const out = this.scratch;
    let p = this.used;
    for (let k = 0; k < text.length; k++) out[p++] = text.charCodeAt(k);
    this.used = p;
  }

  private emitPiece(where: number, start: number, end: number): void {
    const n = end - start;
    this.reserve(n);
    // Resolve the buffer after reserve(): growing replaces the scratch buffer.
    const from = where === In.Source ? this.src : this.scratch;
    const out = this.scratch;
    let p = this.used;
    if (n > 48) from.copy(out, p, start, end);
    else for (let k = start; k < end; k++) out[p++] = from[k] as number;
    this.used = this.used + n;
  }

  // --- values ---------------------------------------------------------------------------------

  private parseValue(wantDecoded: boolean): void {
    const c = this.at(this.i);
    if (c === Ch.Quote) {
      this.kind = FieldKind.String;
      this.parseString(wantDecoded);
      return;
    }
    if (c === Ch.LBrace) {
      this.parseObject(false);
      this.kind = FieldKind.Other;
      return;
    }
    if (c === Ch.LBracket) {
      this.parseArray();
      this.kind = FieldKind.Other;
      return;
    }
    this.kind = FieldKind.Other;
    const start = this.i;
    if (c === Ch.Minus || isDigit(c)) {
      this.kind = FieldKind.Number;
      this.parseNumber();
    } else if (c === 0x74 && this.matches("true")) this.i += 4;
    else if (c === 0x66 && this.matches("false")) this.i += 5;
    else if (c === 0x6e && this.matches("null")) this.i += 4;
    else throw this.fail(this.i, Number.isNaN(c) ? "unexpected end of line" : "expected a JSON value");
    this.valueIn = In.Source;
    this.valueStart = start;
    this.valueEnd = this.i;
  }

  private matches(word: string): boolean {
    for (let k = 0; k < word.length; k++) if (this.at(this.i + k) !== word.charCodeAt(k)) return false;
    return true;
  }

  private fieldOf(f: Frame, n: number): Field {
    const keyStart = f.keyStart[n] as number;
    const keyEnd = f.keyEnd[n] as number;
    const text = f.keyText[n] as string;
    if (text !== "" || f.keyIn[n] === In.Scratch) {
      if (text === "sequence") return Field.Sequence;
      if (text === "prev_hash") return Field.PrevHash;
      if (text === "entry_hash") return Field.EntryHash;
      if (text === "time") return Field.Time;
      return Field.None;
    }
    // Plain key: compare the bytes between the quotes.
    const length = keyEnd - keyStart - 2;
    const first = this.src[keyStart + 1];
    if (length === 8 && first === 0x73) return this.keyEquals(keyStart, "sequence") ? Field.Sequence : Field.None;
    if (length === 9 && first === 0x70) return this.keyEquals(keyStart, "prev_hash") ? Field.PrevHash : Field.None;
    if (length === 10 && first === 0x65) return this.keyEquals(keyStart, "entry_hash") ? Field.EntryHash : Field.None;
    if (length === 4 && first === 0x74) return this.keyEquals(keyStart, "time") ? Field.Time : Field.None;
    return Field.None;
  }

  private keyEquals(keyStart: number, name: string): boolean {
    const src = this.src;
    for (let k = 0; k < name.length; k++) if (src[keyStart + 1 + k] !== name.charCodeAt(k)) return false;
    return true;
  }

  private stringValue(): string {
    // Plain strings are the bytes between the quotes; others were decoded while parsing.
    return this.valueIn === In.Source ? latin1(this.src, this.valueStart + 1, this.valueEnd - 1) : this.decoded;
  }

  private parseObject(top: boolean): void {
    const objectStart = this.i;
    this.enter();
    const f = this.frame();
    this.i++;
    this.skipWhitespace();
    // Canonical as stored while members arrive in order, plain, and packed between the braces.
    let plain = true;
    let expectedStart = objectStart + 1;
    if (this.at(this.i) === Ch.RBrace) {
      if (this.i !== objectStart + 1) plain = false;
      this.i++;
    } else {
      for (;;) {
        if (this.at(this.i) !== Ch.Quote) throw this.fail(this.i, "expected a member name");
        const n = f.count;
        if (this.i !== expectedStart) plain = false;
        this.parseString(true);
        f.keyIn[n] = this.valueIn;
        f.keyStart[n] = this.valueStart;
        f.keyEnd[n] = this.valueEnd;
        f.keyText[n] = this.valueIn === In.Source ? "" : this.decoded;
        f.keyPrefix[n] = this.valueIn === In.Source ? this.prefixOf(this.valueStart + 1, this.valueEnd - 1) : -1;
        if (this.valueIn !== In.Source) plain = false;
        if ((this.src[this.i] as number) <= Ch.Space) this.skipWhitespace();
        if (this.at(this.i) !== Ch.Colon) throw this.fail(this.i, "expected ':'");
        if (this.i !== this.valueEnd) plain = false;
        this.i++;
        if ((this.src[this.i] as number) <= Ch.Space) this.skipWhitespace();
        if (this.i !== this.valueEnd + 1) plain = false;
        const field = top ? this.fieldOf(f, n) : Field.None;
        const memberPosition = this.i;
        this.parseValue(field === Field.PrevHash || field === Field.EntryHash || field === Field.Time);
        if (field !== Field.None) this.capture(field, memberPosition);
        if (field === Field.EntryHash) {
          plain = false;
        } else {
          f.valueIn[n] = this.valueIn;
          f.valueStart[n] = this.valueStart;
          f.valueEnd[n] = this.valueEnd;
          if (this.valueIn !== In.Source) plain = false;
          f.count = n + 1;
          if (!this.insertOrdered(f, n)) plain = false;
        }
        expectedStart = this.i + 1;
        if ((this.src[this.i] as number) <= Ch.Space) this.skipWhitespace();
        const c = this.at(this.i);
        if (c === Ch.Comma) {
          if (this.i + 1 !== expectedStart) plain = false;
          this.i++;
          if ((this.src[this.i] as number) <= Ch.Space) this.skipWhitespace();
          continue;
        }
        if (c === Ch.RBrace) {
          if (this.i + 1 !== expectedStart) plain = false;
          this.i++;
          break;
        }
        throw this.fail(this.i, "expected ',' or '}'");
      }
    }
    const objectEnd = this.i;
    this.depth--;
    if (plain && !top) {
      this.valueIn = In.Source;
      this.valueStart = objectStart;
      this.valueEnd = objectEnd;
      return;
    }
    const start = this.used;
    this.emitByte(Ch.LBrace);
    for (let k = 0; k < f.count; k++) {
      const m = f.order[k] as number;
      if (k > 0) this.emitByte(Ch.Comma);
      const keyEnd = f.keyEnd[m] as number;
      if (f.keyIn[m] === In.Source && f.valueIn[m] === In.Source && f.valueStart[m] === keyEnd + 1) {
        // `"key":value` stored without whitespace: one piece.
        this.emitPiece(In.Source, f.keyStart[m] as number, f.valueEnd[m] as number);
      } else {
        this.emitPiece(f.keyIn[m] as number, f.keyStart[m] as number, keyEnd);
        this.emitByte(Ch.Colon);
        this.emitPiece(f.valueIn[m] as number, f.valueStart[m] as number, f.valueEnd[m] as number);
      }
    }
    this.emitByte(Ch.RBrace);
    this.valueIn = In.Scratch;
    this.valueStart = start;
    this.valueEnd = this.used;
  }

  private capture(field: Field, position: number): void {
    const kind = this.kind;
    switch (field) {
      case Field.Sequence:
        this.sequenceKind = kind;
        if (kind === FieldKind.Number) this.sequenceLexeme = latin1(this.src, this.valueStart, this.valueEnd);
        break;
      case Field.PrevHash:
        this.prevHashKind = kind;
        if (kind === FieldKind.String) this.prevHash = this.stringValue();
        break;
      case Field.Time:
        this.timeKind = kind;
        if (kind === FieldKind.String) this.time = this.stringValue();
        break;
      case Field.EntryHash:
        // entry_hash is not part of what it hashes, so it never reaches insertOrdered's check.
        if (this.entryHashKind !== FieldKind.Absent) throw this.fail(position, 'duplicate member name "entry_hash"');
        this.entryHashKind = kind;
        if (kind === FieldKind.String) this.entryHash = this.stringValue();
        break;
    }
  }

  // Insertion keeps members in canonical order as they arrive (objects are small). Duplicate names
  // are rejected: readers disagree on which one wins, a way to show one value and hash another.
  // Returns false when the member had to move, i.e. the stored order is not canonical.
  private insertOrdered(f: Frame, n: number): boolean {
    const order = f.order;
    const prefix = f.keyPrefix;
    const own = prefix[n] as number;
    let j = n;
    while (j > 0) {
      const other = order[j - 1] as number;
      const theirs = prefix[other] as number;
      // Most keys differ in their first bytes: an int comparison settles them.
      const cmp = own >= 0 && theirs >= 0 && own !== theirs ? theirs - own : this.compareKeys(f, other, n);
      if (cmp < 0) break;
      if (cmp === 0) throw this.fail(f.keyStart[n] as number, `duplicate member name "${this.keyString(f, n)}"`);
      order[j] = order[j - 1] as number;
      j--;
    }
    order[j] = n;
    return j === n;
  }

  /** Plain key bytes src[start, end) → first three packed big-endian; plain bytes are ≥ 0x20, so 0 pads. */
  private prefixOf(start: number, end: number): number {
    const src = this.src;
    const a = start < end ? (src[start] as number) : 0;
    const b = start + 1 < end ? (src[start + 1] as number) : 0;
    const c = start + 2 < end ? (src[start + 2] as number) : 0;
    return (a << 16) | (b << 8) | c;
  }

  private keyString(f: Frame, m: number): string {
    if (f.keyIn[m] === In.Scratch) return f.keyText[m] as string;
    return latin1(this.src, (f.keyStart[m] as number) + 1, (f.keyEnd[m] as number) - 1);
  }

  private compareKeys(f: Frame, a: number, b: number): number {
    if (f.keyIn[a] === In.Scratch || f.keyIn[b] === In.Scratch) return compareCodePoints(this.keyString(f, a), this.keyString(f, b));
    // Both plain ASCII in the source: byte order is code point order. Compare the bytes between
    // the quotes (the closing quote must not take part: `"ab"` vs `"ab!"`).
    const src = this.src;
    const as = (f.keyStart[a] as number) + 1;
    const bs = (f.keyStart[b] as number) + 1;
    const la = (f.keyEnd[a] as number) - 1 - as;
    const lb = (f.keyEnd[b] as number) - 1 - bs;
    const n = la < lb ? la : lb;
    for (let k = 0; k < n; k++) {
      const x = src[as + k] as number;
      const y = src[bs + k] as number;
      if (x !== y) return x - y;
    }
    return la - lb;
  }

  private parseArray(): void {
    const arrayStart = this.i;
    this.enter();
    const f = this.frame();
    this.i++;
    if ((this.src[this.i] as number) <= Ch.Space) this.skipWhitespace();
    let plain = true;
    let expectedStart = arrayStart + 1;
    if (this.at(this.i) === Ch.RBracket) {
      if (this.i !== arrayStart + 1) plain = false;
      this.i++;
    } else {
      for (;;) {
        if (this.i !== expectedStart) plain = false;
        this.parseValue(false);
        const n = f.count++;
        f.valueIn[n] = this.valueIn;
        f.valueStart[n] = this.valueStart;
        f.valueEnd[n] = this.valueEnd;
        if (this.valueIn !== In.Source) plain = false;
        expectedStart = this.i + 1;
        if ((this.src[this.i] as number) <= Ch.Space) this.skipWhitespace();
        const c = this.at(this.i);
        if (c === Ch.Comma) {
          if (this.i + 1 !== expectedStart) plain = false;
          this.i++;
          if ((this.src[this.i] as number) <= Ch.Space) this.skipWhitespace();
          continue;
        }
        if (c === Ch.RBracket) {
          if (this.i + 1 !== expectedStart) plain = false;
          this.i++;
          break;
        }
        throw this.fail(this.i, "expected ',' or ']'");
      }
    }
    const arrayEnd = this.i;
    this.depth--;
    this.kind = FieldKind.Other;
    if (plain) {
      this.valueIn = In.Source;
      this.valueStart = arrayStart;
      this.valueEnd = arrayEnd;
      return;
    }
    const start = this.used;
    this.emitByte(Ch.LBracket);
    for (let k = 0; k < f.count; k++) {
      if (k > 0) this.emitByte(Ch.Comma);
      this.emitPiece(f.valueIn[k] as number, f.valueStart[k] as number, f.valueEnd[k] as number);
    }
    this.emitByte(Ch.RBracket);
    this.valueIn = In.Scratch;
    this.valueStart = start;
    this.valueEnd = this.used;
  }

  private parseNumber(): void {
    let i = this.i;
    if (this.at(i) === Ch.Minus) i++;
    const first = this.at(i);
    if (first === Ch.Zero) i++;
    else if (first >= Ch.One && first <= Ch.Nine) {
      i++;
      while (isDigit(this.at(i))) i++;
    } else throw this.fail(i, "invalid number");
    if (this.at(i) === Ch.Dot) {
      i++;
      if (!isDigit(this.at(i))) throw this.fail(i, "invalid number: no digit after '.'");
      while (isDigit(this.at(i))) i++;
    }
    const e = this.at(i);
    if (e === Ch.LowerE || e === Ch.UpperE) {
      i++;
      const sign = this.at(i);
      if (sign === Ch.Plus || sign === Ch.Minus) i++;
      if (!isDigit(this.at(i))) throw this.fail(i, "invalid number: no digit in the exponent");
      while (isDigit(this.at(i))) i++;
    }
    this.i = i;
  }

  // --- strings --------------------------------------------------------------------------------

  /** Sets the value piece to the string's canonical text (quotes included). */
  private parseString(wantDecoded: boolean): void {
    const src = this.src;
    const end = this.lineEnd;
    const open = this.i;
    let i = open + 1;
    while (i < end) {
      const c = src[i] as number;
      if (c === Ch.Quote) {
        // Printable ASCII without escapes: the stored text is canonical.
        this.i = i + 1;
        this.valueIn = In.Source;
        this.valueStart = open;
        this.valueEnd = i + 1;
        if (wantDecoded) this.decoded = "";
        return;
      }
      if (c === Ch.Backslash || c < 0x20 || c > 0x7e) {
        this.parseStringSlow(open, i, wantDecoded);
        return;
      }
      i++;
    }
    throw this.fail(open, "unterminated string");
  }

  private parseStringSlow(open: number, from: number, wantDecoded: boolean): void {
    const src = this.src;
    const start = this.used;
    this.emitPiece(In.Source, open, from);
    let decoded = wantDecoded ? latin1(src, open + 1, from) : "";
    let i = from;
    for (;;) {
      if (i >= this.lineEnd) throw this.fail(open, "unterminated string");
      const c = src[i] as number;
      if (c === Ch.Quote) {
        this.emitByte(Ch.Quote);
        this.i = i + 1;
        this.valueIn = In.Scratch;
        this.valueStart = start;
        this.valueEnd = this.used;
        this.decoded = decoded;
        return;
      }
      if (c < 0x20) throw this.fail(i, "control character inside a string");
      let unit: number;
      let second = -1;
      if (c === Ch.Backslash) {
        const escape = this.readEscape(i);
        unit = escape.code;
        i += escape.length;
      } else if (c < 0x80) {
        unit = c;
        i++;
      } else {
        const cp = this.readUtf8(i);
        i += cp.length;
        if (cp.code >= 0x10000) {
          const v = cp.code - 0x10000;
          unit = 0xd800 + (v >> 10);
          second = 0xdc00 + (v & 0x3ff);
        } else unit = cp.code;
      }
      this.emitAscii(canonicalEscapeUnit(unit));
      if (second >= 0) this.emitAscii(canonicalEscapeUnit(second));
      if (wantDecoded) decoded += second >= 0 ? String.fromCharCode(unit, second) : String.fromCharCode(unit);
    }
  }

  /** One backslash escape at `at`; returns the UTF-16 unit and the escape's length. */
  private readEscape(at: number): { code: number; length: number } {
    const c = this.at(at + 1);
    switch (c) {
      case 0x22:
        return { code: 0x22, length: 2 };
      case 0x5c:
        return { code: 0x5c, length: 2 };
      case 0x2f:
        return { code: 0x2f, length: 2 };
      case 0x62:
        return { code: 0x08, length: 2 };
      case 0x66:
        return { code: 0x0c, length: 2 };
      case 0x6e:
        return { code: 0x0a, length: 2 };
      case 0x72:
        return { code: 0x0d, length: 2 };
      case 0x74:
        return { code: 0x09, length: 2 };
      case 0x75: {
        let code = 0;
        for (let k = 2; k < 6; k++) {
          const h = hexValue(this.at(at + k));
          if (h < 0) throw this.fail(at, "invalid \\u escape");
          code = code * 16 + h;
        }
        // Lone surrogates are kept as they are, like Python's json module does.
        return { code, length: 6 };
      }
      default:
        throw this.fail(at, "invalid escape sequence");
    }
  }

  /** One UTF-8 sequence starting at `at` (strict: no overlongs, surrogates or values past U+10FFFF). */
  private readUtf8(at: number): { code: number; length: number } {
    const lead = this.at(at);
    let length: number;
    let code: number;
    let min: number;
    if (lead >= 0xc2 && lead <= 0xdf) {
      length = 2;
      code = lead & 0x1f;
      min = 0x80;
    } else if (lead >= 0xe0 && lead <= 0xef) {
      length = 3;
      code = lead & 0x0f;
      min = 0x800;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      length = 4;
      code = lead & 0x07;
      min = 0x10000;
    } else throw this.fail(at, "invalid UTF-8");
    for (let k = 1; k < length; k++) {
      const next = this.at(at + k);
      if (!(next >= 0x80 && next <= 0xbf)) throw this.fail(at, "invalid UTF-8");
      code = (code << 6) | (next & 0x3f);
    }
    if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) throw this.fail(at, "invalid UTF-8");
    return { code, length };
  }
}

/** Canonical text of a line given as an ordinary string (the UTF-8 encoding of it is scanned). */
export function canonicalizeLine(text: string): string {
  const scanner = new LineCanonicalizer();
  const bytes = Buffer.from(text, "utf8");
  scanner.parse(bytes, 0, bytes.length);
  return scanner.canonicalText();
}
