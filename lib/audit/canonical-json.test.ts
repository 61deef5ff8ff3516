import { describe, expect, test } from "bun:test";
import { canonicalJson, compareCodePoints } from "./canonical-json.ts";
import { canonicalizeLine, LineCanonicalizer, LineSyntaxError, MAX_NESTING } from "./canonical-line.ts";
import { AuditError } from "./errors.ts";
import { sha256Hex } from "./hash.ts";
import { thrown } from "./test-fixtures.ts";

// Spec audit.md §5.2 test vectors (normative).
const VECTOR_1 = { time: "2025-01-18T10:00:00.000Z", sequence: 1, prev_hash: "GENESIS", event: "first_entry" };
const VECTOR_1_HASH = "9ae249e29749b0c85c154ef2051026869a9bb22ca98ff8d2ecc4bce73123c4fb";
const VECTOR_2_CANONICAL = '{"duration_ms":1.0,"event":"first_entry","path":"caf\\u00e9\\u007f","prev_hash":"GENESIS","sequence":1,"time":"2025-01-18T10:00:00.000Z"}';
const VECTOR_2_HASH = "b2d211f3a60b589611d580cc981c1a91d68e87da952f842df30a84c757b89b98";

describe("spec §5.2 vectors", () => {
  test("vector 1 from a JS object", () => {
    expect(canonicalJson(VECTOR_1)).toBe('{"event":"first_entry","prev_hash":"GENESIS","sequence":1,"time":"2025-01-18T10:00:00.000Z"}');
    expect(sha256Hex(canonicalJson(VECTOR_1))).toBe(VECTOR_1_HASH);
  });

  test("vector 1 from a stored line in any key order, with spaces", () => {
    const line = '{"time": "2025-01-18T10:00:00.000Z", "sequence": 1, "prev_hash": "GENESIS", "event": "first_entry"}';
    expect(sha256Hex(canonicalizeLine(line))).toBe(VECTOR_1_HASH);
  });

  test("vector 2: the given canonical text hashes as stated", () => {
    expect(sha256Hex(VECTOR_2_CANONICAL)).toBe(VECTOR_2_HASH);
  });

  test("vector 2 from a Python-style line: 1.0 kept, é and DEL escaped, entry_hash excluded", () => {
    const line = `{"time": "2025-01-18T10:00:00.000Z", "sequence": 1, "prev_hash": "GENESIS", "event": "first_entry", "path": "café\u007f", "duration_ms": 1.0, "entry_hash": "${VECTOR_2_HASH}"}`;
    expect(canonicalizeLine(line)).toBe(VECTOR_2_CANONICAL);
    // The same content with \u escapes as Python's ensure_ascii writes it.
    const escaped = `{"time":"2025-01-18T10:00:00.000Z","sequence":1,"prev_hash":"GENESIS","event":"first_entry","path":"caf\\u00e9\\u007f","duration_ms":1.0}`;
    expect(canonicalizeLine(escaped)).toBe(VECTOR_2_CANONICAL);
  });

  test("JSON.parse would lose the 1.0 lexeme, the line canonicaliser does not", () => {
    expect(canonicalJson(JSON.parse('{"a":1.0}'))).toBe('{"a":1}');
    expect(canonicalizeLine('{"a":1.0,"b":1e-05,"c":1E+16,"d":-0.0}')).toBe('{"a":1.0,"b":1e-05,"c":1E+16,"d":-0.0}');
  });
});

describe("canonicalJson (writer side)", () => {
  test("sorts keys at every depth and drops undefined members", () => {
    expect(canonicalJson({ b: { d: 1, c: [3, { z: 1, y: 2 }] }, a: null, u: undefined })).toBe('{"a":null,"b":{"c":[3,{"y":2,"z":1}],"d":1}}');
  });

  test("escapes like Python ensure_ascii", () => {
    expect(canonicalJson('q"b\\n\n r\r t\t b\b f\f \u0001 \u007f é 😀')).toBe('"q\\"b\\\\n\\n r\\r t\\t b\\b f\\f \\u0001 \\u007f \\u00e9 \\ud83d\\ude00"');
    expect(canonicalJson("\ud800")).toBe('"\\ud800"');
  });

  test("orders keys by code point, not UTF-16 unit", () => {
    // U+FFFF sorts before U+10000, although its UTF-16 unit is larger than the high surrogate.
    expect(compareCodePoints("\uffff", "\u{10000}")).toBeLessThan(0);
    expect(canonicalJson({ "\u{10000}": 1, "\uffff": 2 })).toBe('{"\\uffff":2,"\\ud800\\udc00":1}');
  });

  test("numbers use the JSON.stringify lexeme", () => {
    expect(canonicalJson([1, 1.5, 1e21, 1e-7, -0, 0.1])).toBe("[1,1.5,1e+21,1e-7,0,0.1]");
  });

  test("rejects what JSON cannot hold exactly, naming where", () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, [undefined], new Date(0), 1n, () => 1, Symbol("s"), new Map()]) {
      expect(() => canonicalJson({ a: [bad] })).toThrow(AuditError);
    }
    expect(() => canonicalJson({ a: { b: Number.NaN } })).toThrow("$.a.b");
  });
});

// Random JSON values, written with random whitespace and key order, must canonicalise from the
// stored text exactly as canonicalJson does from the value.
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = ["a", "b", "z", "A", "_", " ", "!", '"', "\\", "/", "\n", "\t", "\u0000", "\u001f", "\u007f", "é", "ß", "€", "\uffff", "😀", "\u{10000}", "\ud800"];

function randomString(r: () => number): string {
  let s = "";
  const n = Math.floor(r() * 6);
  for (let i = 0; i < n; i++) s += ALPHABET[Math.floor(r() * ALPHABET.length)];
  return s;
}

function randomValue(r: () => number, depth: number): unknown {
  const k = Math.floor(r() * (depth > 3 ? 4 : 6));
  if (k === 0) return randomString(r);
  if (k === 1) return [0, 1, -1, 1.5, 1e21, 1e-7, 123456789.125, -0.5][Math.floor(r() * 8)];
  if (k === 2) return [true, false, null][Math.floor(r() * 3)];
  if (k === 3) return randomString(r);
  if (k === 4) return Array.from({ length: Math.floor(r() * 4) }, () => randomValue(r, depth + 1));
  const o: Record<string, unknown> = {};
  const n = Math.floor(r() * 5);
  for (let i = 0; i < n; i++) o[randomString(r)] = randomValue(r, depth + 1);
  return o;
}

function shuffledStringify(value: unknown, r: () => number): string {
  const ws = (): string => [""," ","\t","\r\n"][Math.floor(r() * 4)] as string;
  if (Array.isArray(value)) return `[${ws()}${value.map((v) => shuffledStringify(v, r)).join(`${ws()},${ws()}`)}${ws()}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value).sort(() => r() - 0.5);
    return `{${ws()}${entries.map(([k, v]) => `${JSON.stringify(k)}${ws()}:${ws()}${shuffledStringify(v, r)}`).join(`${ws()},${ws()}`)}${ws()}}`;
  }
  return JSON.stringify(value);
}

describe("line canonicaliser (verifier side)", () => {
  test("agrees with canonicalJson on 3,000 random documents in random layouts", () => {
    const r = rng(42);
    for (let i = 0; i < 3000; i++) {
      const doc = { x: randomValue(r, 0), y: randomValue(r, 0), [randomString(r) || "k"]: randomValue(r, 0) };
      const expected = canonicalJson(doc);
      expect(canonicalizeLine(shuffledStringify(doc, r))).toBe(expected);
      expect(canonicalizeLine(JSON.stringify(doc))).toBe(expected);
    }
  });

  test("captures the chain fields and leaves entry_hash out", () => {
    const p = new LineCanonicalizer();
    const line = Buffer.from(`xx{"time":"t\\u00e9","sequence":12,"prev_hash":"GENESIS","a":{"entry_hash":1},"entry_hash":"abc"}yy`);
    p.parse(line, 2, line.length - 2);
    expect([p.sequenceLexeme, p.prevHash, p.entryHash, p.time]).toEqual(["12", "GENESIS", "abc", "té"]);
    expect(p.canonicalText()).toBe('{"a":{"entry_hash":1},"prev_hash":"GENESIS","sequence":12,"time":"t\\u00e9"}');
  });

  test("an escaped chain field name is still that field", () => {
    const p = new LineCanonicalizer();
    const line = Buffer.from('{"\\u0073equence":3,"entry_hash":"h"}');
    p.parse(line, 0, line.length);
    expect(p.sequenceLexeme).toBe("3");
  });

  test("rejects lines that are not exactly one JSON object", () => {
    const bad = [
      "",
      "[1]",
      '{"a":1} x',
      '{"a":1,"a":2}',
      '{"entry_hash":"x","entry_hash":"y"}',
      '{"a":01}',
      '{"a":1.}',
      '{"a":"\u0001"}',
      '{"a":"\\x"}',
      '{"a":"\\u12g4"}',
      '{"a":tru}',
      '{"a":1,}',
      '{"a" 1}',
      '{"a":"unterminated}',
      '{"a":NaN}',
      `{"a":${"[".repeat(MAX_NESTING + 1)}${"]".repeat(MAX_NESTING + 1)}}`,
    ];
    for (const line of bad) expect(() => canonicalizeLine(line)).toThrow(LineSyntaxError);
  });

  test("rejects invalid UTF-8 (overlong, surrogate, truncated)", () => {
    const p = new LineCanonicalizer();
    for (const bytes of [[0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xff]]) {
      const line = Buffer.concat([Buffer.from('{"a":"'), Buffer.from(bytes), Buffer.from('"}')]);
      expect(() => p.parse(line, 0, line.length)).toThrow("invalid UTF-8");
    }
  });

  test("the error names the byte position", () => {
    const error = thrown(() => canonicalizeLine('{"a":1,"a":2}'));
    expect(error).toBeInstanceOf(LineSyntaxError);
    expect((error as LineSyntaxError).message).toBe('duplicate member name "a" at byte 8');
  });
});
