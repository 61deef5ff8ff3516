// Canonical JSON of spec audit.md §5.2 (normative), built from JavaScript values: the writer's side.
// Keys sorted by Unicode code point at every depth, no whitespace, strings escaped like Python's
// `json.dumps(ensure_ascii=True)`, numbers as `JSON.stringify` writes them. The verifier's side,
// which must keep number lexemes exactly as on disk, is canonical-line.ts.

import { AuditError, AuditErrorCode } from "./errors.ts";

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | JsonObject;
/** `undefined` members are allowed and omitted, as JSON.stringify does. */
export interface JsonObject {
  [key: string]: JsonValue | undefined;
}

const HEX = "0123456789abcdef";
// Characters that can be copied as they are: printable ASCII except `"` and `\`.
const NEEDS_ESCAPE = /[^\x20\x21\x23-\x5b\x5d-\x7e]/;

/** Appends `\uXXXX` (lowercase hex) for one UTF-16 code unit. */
export function unicodeEscape(unit: number): string {
  return `\\u${HEX[(unit >> 12) & 15]}${HEX[(unit >> 8) & 15]}${HEX[(unit >> 4) & 15]}${HEX[unit & 15]}`;
}

/** The canonical escape of one UTF-16 code unit inside a string. */
export function canonicalEscapeUnit(unit: number): string {
  switch (unit) {
    case 0x22:
      return '\\"';
    case 0x5c:
      return "\\\\";
    case 0x0a:
      return "\\n";
    case 0x0d:
      return "\\r";
    case 0x09:
      return "\\t";
    case 0x08:
      return "\\b";
    case 0x0c:
      return "\\f";
    default:
      // Everything outside U+0020–U+007E (DEL included); astral characters are already two
      // surrogate units in a JS string, so they come out as a surrogate pair, as in Python.
      return unit < 0x20 || unit > 0x7e ? unicodeEscape(unit) : String.fromCharCode(unit);
  }
}

/** The canonical text of a string, quotes included. */
export function canonicalString(value: string): string {
  if (!NEEDS_ESCAPE.test(value)) return `"${value}"`;
  let out = '"';
  for (let i = 0; i < value.length; i++) out += canonicalEscapeUnit(value.charCodeAt(i));
  return `${out}"`;
}

// Surrogates encode code points above U+FFFF, so they must sort after U+E000–U+FFFF, which plain
// UTF-16 comparison (JS `<`) gets wrong.
function codePointRank(unit: number): number {
  return unit >= 0xd800 && unit <= 0xdfff ? unit + 0x10000 : unit;
}

/** Orders strings by Unicode code point (Python's str order), not by UTF-16 code unit. */
export function compareCodePoints(a: string, b: string): number {
  const n = a.length < b.length ? a.length : b.length;
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

function invalid(path: string, what: string): AuditError {
  return new AuditError(AuditErrorCode.InvalidRecord, `Audit record value at ${path} is ${what}, which JSON cannot represent exactly`, {
    hint: "Pass plain objects, arrays, strings, finite numbers, booleans and null only (convert dates to ISO strings first).",
  });
}

function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function canonicalValue(value: unknown, path: string): string {
  switch (typeof value) {
    case "string":
      return canonicalString(value);
    case "number":
      if (!Number.isFinite(value)) throw invalid(path, String(value));
      // String(n) is the lexeme JSON.stringify writes for a finite number (and -0 becomes 0).
      return String(value);
    case "boolean":
      return value ? "true" : "false";
    case "object": {
      if (value === null) return "null";
      if (Array.isArray(value)) {
        let out = "[";
        for (let i = 0; i < value.length; i++) {
          const item: unknown = value[i];
          if (item === undefined) throw invalid(`${path}[${i}]`, "undefined");
          out += (i === 0 ? "" : ",") + canonicalValue(item, `${path}[${i}]`);
        }
        return `${out}]`;
      }
      if (!isPlainObject(value)) throw invalid(path, `a ${value.constructor?.name ?? "non-plain"} object`);
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record).sort(compareCodePoints);
      let out = "{";
      let first = true;
      for (const key of keys) {
        const member = record[key];
        if (member === undefined) continue;
        out += `${first ? "" : ","}${canonicalString(key)}:${canonicalValue(member, `${path}.${key}`)}`;
        first = false;
      }
      return `${out}}`;
    }
    case "undefined":
      throw invalid(path, "undefined");
    default:
      throw invalid(path, `a ${typeof value}`);
  }
}

/**
 * The canonical JSON text of `value` (spec §5.2). Throws AuditError(InvalidRecord) for anything
 * JSON.stringify would change or drop silently, so the hashed form and the written line agree.
 */
export function canonicalJson(value: unknown): string {
  return canonicalValue(value, "$");
}
