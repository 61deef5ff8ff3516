// Sanitisation of descriptions a backend advertises (spec §8 with the "Beyond the original"
// fixes): text an LLM reads as instructions is a prompt-injection channel, so invisible and
// direction-changing characters are removed, markup is reduced to its text, suspicious phrasing
// is flagged (not altered) and the length is capped. Pure; the caller decides to fail open.

export const DESCRIPTION_MAX_CHARS = 500;

export type SanitizeFlag =
  | "html_entities_decoded"
  | "unicode_normalized"
  | "control_chars_removed"
  | "invisible_chars_removed"
  | "html_tags_stripped"
  | "markdown_links_stripped"
  | "instruction_override"
  | "role_assumption"
  | "system_prompt"
  | "confusable_chars"
  | "truncated";

export const SUSPICIOUS_FLAGS: ReadonlySet<SanitizeFlag> = new Set(["instruction_override", "role_assumption", "system_prompt"]);

export interface SanitizeResult {
  text: string;
  flags: SanitizeFlag[];
}

const NAMED_ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" };
const ENTITY = /&(?:#(\d{1,7})|#[xX]([0-9A-Fa-f]{1,6})|(amp|lt|gt|quot|apos|nbsp));/g;

function codePointText(code: number): string {
  const valid = code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff);
  return String.fromCodePoint(valid ? code : 0xfffd);
}

// Entities are decoded first so `&lt;script&gt;` or `&#x202E;` cannot smuggle what the later
// steps remove.
function decodeEntities(text: string): string {
  return text.replace(ENTITY, (_, dec?: string, hex?: string, name?: string) => {
    if (dec !== undefined) return codePointText(Number.parseInt(dec, 10));
    if (hex !== undefined) return codePointText(Number.parseInt(hex, 16));
    return NAMED_ENTITIES[name ?? ""] ?? "";
  });
}

// C0 except TAB/LF/CR (they become spaces later), DEL and C1.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
// Format characters (zero-width, bidi embeddings/overrides/isolates, soft hyphen, BOM, Unicode
// tag characters), variation selectors and the Hangul fillers that render as nothing.
const INVISIBLE = /[\p{Cf}\u115F\u1160\u3164\uFFA0\uFE00-\uFE0F\u{E0100}-\u{E01EF}]/gu;
// `<` followed by a letter, `/` or `!` up to the next `>`; `a < b and c > d` is left alone.
const TAG = /<[A-Za-z/!][^>]*>/g;
const MARKDOWN_LINK = /\[([^\]]*)\]\(([^)]*)\)/g;

const SUSPICIOUS: ReadonlyArray<readonly [SanitizeFlag, RegExp]> = [
  ["instruction_override", /\b(?:ignore|disregard|override|bypass|forget)\b.*\b(?:previous|above|prior|all|instructions?)\b/is],
  ["role_assumption", /\b(?:you are|act as|pretend|assume the role)\b/i],
  ["system_prompt", /\b(?:system prompt|system message|hidden instruction)/i],
];

const WORD = /\p{L}+/gu;
const LATIN = /\p{Script=Latin}/u;
const LOOKALIKE_SCRIPT = /[\p{Script=Cyrillic}\p{Script=Greek}]/u;

/** A word mixing Latin with Cyrillic or Greek letters is the usual homoglyph trick. */
function hasMixedScriptWord(text: string): boolean {
  for (const [word] of text.matchAll(WORD)) {
    if (LATIN.test(word) && LOOKALIKE_SCRIPT.test(word)) return true;
  }
  return false;
}

function replaceFlagged(text: string, pattern: RegExp, replacement: string, flag: SanitizeFlag, flags: SanitizeFlag[]): string {
  const out = text.replace(pattern, replacement);
  if (out !== text) flags.push(flag);
  return out;
}

export function sanitizeDescription(input: unknown): SanitizeResult {
  if (typeof input !== "string" || input === "") return { text: "", flags: [] };
  const flags: SanitizeFlag[] = [];
  let text = decodeEntities(input);
  if (text !== input) flags.push("html_entities_decoded");
  const normalized = text.normalize("NFKC");
  if (normalized !== text) flags.push("unicode_normalized");
  text = normalized;
  text = replaceFlagged(text, CONTROL, "", "control_chars_removed", flags);
  text = replaceFlagged(text, INVISIBLE, "", "invisible_chars_removed", flags);
  text = replaceFlagged(text, TAG, "", "html_tags_stripped", flags);
  text = replaceFlagged(text, MARKDOWN_LINK, "$1", "markdown_links_stripped", flags);
  text = text.replace(/\s+/g, " ").trim();
  for (const [flag, pattern] of SUSPICIOUS) if (pattern.test(text)) flags.push(flag);
  if (hasMixedScriptWord(text)) flags.push("confusable_chars");
  const codePoints = Array.from(text);
  if (codePoints.length > DESCRIPTION_MAX_CHARS) {
    text = `${codePoints.slice(0, DESCRIPTION_MAX_CHARS - 3).join("")}...`;
    flags.push("truncated");
  }
  return { text, flags };
}

export interface SanitizeFinding {
  /** Dotted location inside the entry, e.g. `inputSchema.properties.path.description`. */
  field: string;
  flags: SanitizeFlag[];
}

export interface SanitizedEntry<T> {
  entry: T;
  findings: SanitizeFinding[];
}

const TEXT_KEYS: ReadonlySet<string> = new Set(["description", "title"]);
const MAX_SCHEMA_DEPTH = 32;

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

// Copies a JSON schema, sanitising every `description`/`title` string at any depth; other
// strings (enum values, defaults) are data and stay untouched.
function sanitizeSchema(value: unknown, field: string, depth: number, findings: SanitizeFinding[]): unknown {
  if (depth > MAX_SCHEMA_DEPTH) return value;
  if (Array.isArray(value)) return value.map((v, i) => sanitizeSchema(v, `${field}.${i}`, depth + 1, findings));
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const at = `${field}.${key}`;
    let next: unknown;
    if (TEXT_KEYS.has(key) && typeof v === "string") {
      const r = sanitizeDescription(v);
      if (r.flags.length > 0) findings.push({ field: at, flags: r.flags });
      next = r.text;
    } else {
      next = sanitizeSchema(v, at, depth + 1, findings);
    }
    Object.defineProperty(out, key, { value: next, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/**
 * Sanitises one entry of a tools/resources/prompts list result: its description and title,
 * `annotations.title`, every description/title inside `inputSchema`/`outputSchema`, and the
 * descriptions of prompt `arguments`. Returns a copy; the input is not modified.
 */
export function sanitizeListEntry<T extends Record<string, unknown>>(entry: T): SanitizedEntry<T> {
  const findings: SanitizeFinding[] = [];
  const out: Record<string, unknown> = { ...entry };
  for (const key of TEXT_KEYS) {
    if (typeof entry[key] !== "string") continue;
    const r = sanitizeDescription(entry[key]);
    if (r.flags.length > 0) findings.push({ field: key, flags: r.flags });
    out[key] = r.text;
  }
  for (const key of ["annotations", "inputSchema", "outputSchema", "arguments"]) {
    if (entry[key] !== undefined) out[key] = sanitizeSchema(entry[key], key, 0, findings);
  }
  return { entry: out as T, findings };
}
