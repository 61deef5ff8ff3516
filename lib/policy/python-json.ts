// Serialises JSON exactly like Python's `json.dumps(value, sort_keys=True)`, because generated
// rule ids are a hash of that text and must stay identical to the original's (spec §4).
// Differences from JSON.stringify: `", "` and `": "` separators, keys sorted by code point,
// every character outside printable ASCII escaped as lowercase `\uXXXX` (UTF-16 units).

import type { JsonValue } from "./model.ts";

const SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"',
  "\\": "\\\\",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "\b": "\\b",
  "\f": "\\f",
};

function pythonString(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    const short = SHORT_ESCAPES[ch];
    if (short !== undefined) {
      out += short;
      continue;
    }
    const code = text.charCodeAt(i);
    out += code >= 0x20 && code <= 0x7e ? ch : `\\u${code.toString(16).padStart(4, "0")}`;
  }
  return `${out}"`;
}

// Python sorts str keys by code point; JS default sort compares UTF-16 units, which differs
// only for astral characters versus U+E000–U+FFFF.
function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done === true || y.done === true) return (x.done === true ? 0 : 1) - (y.done === true ? 0 : 1);
    const cx = x.value.codePointAt(0) ?? 0;
    const cy = y.value.codePointAt(0) ?? 0;
    if (cx !== cy) return cx - cy;
  }
}

function pythonNumber(value: number): string {
  if (!Number.isFinite(value)) throw new Error("non-finite numbers cannot appear in JSON");
  return String(value);
}

export function pythonJsonDumps(value: JsonValue): string {
  if (value === null) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") return pythonNumber(value);
  if (typeof value === "string") return pythonString(value);
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(", ")}]`;
  const keys = Object.keys(value).sort(compareCodePoints);
  const parts = keys.map((k) => `${pythonString(k)}: ${pythonJsonDumps(value[k] as JsonValue)}`);
  return `{${parts.join(", ")}}`;
}
