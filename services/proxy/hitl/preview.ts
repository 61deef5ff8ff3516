// What an approver sees of a held request: a redacted, bounded copy of its arguments, and the
// digest that binds a resolution to exactly those arguments. The preview is for display only;
// the digest is over the full, unredacted canonical JSON (spec policy.md "Beyond" 9).
import type { JsonObject, JsonValue } from "@bufbuild/protobuf";
import { canonicalJson, isSecretKey, REDACTED, sha256Hex } from "../../../lib/audit/index.ts";
import { HitlError, HitlErrorCode } from "./errors.ts";

export interface PreviewLimits {
  /** Nesting below this depth is replaced by a marker. */
  maxDepth: number;
  /** Longer strings keep this many characters and a note of how many were cut. */
  maxStringChars: number;
  maxArrayItems: number;
  maxObjectKeys: number;
  /** Rough budget in characters for the whole preview; past it, values become a marker. */
  maxTotalChars: number;
}

export const DEFAULT_PREVIEW_LIMITS: Readonly<PreviewLimits> = Object.freeze({
  maxDepth: 6,
  maxStringChars: 512,
  maxArrayItems: 20,
  maxObjectKeys: 50,
  maxTotalChars: 8192,
});

const MAX_KEY_CHARS = 128;
const DEPTH_MARKER = "[nested too deep]";
const BUDGET_MARKER = "[preview limit reached]";
const MORE_KEY = "(more)";

// Secrets that hide inside ordinary strings (a shell command, a URL, a header line). Keys named
// like secrets are caught by isSecretKey; these catch the values an approver must not read.
const VALUE_PATTERNS: ReadonlyArray<readonly [RegExp, string]> = [
  [/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g, REDACTED],
  [/\b(Authorization\s*[:=]\s*)("[^"]*"|'[^']*'|[^\r\n"']+)/gi, `$1${REDACTED}`],
  [/\b(Bearer\s+)[A-Za-z0-9._~+/=-]{16,}/g, `$1${REDACTED}`],
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, REDACTED],
  [/\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, REDACTED],
  [/\b(?:sk-[A-Za-z0-9_-]{16,}|gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|xox[abprs]-[A-Za-z0-9-]{10,}|glpat-[A-Za-z0-9_-]{16,})/g, REDACTED],
  [/\b([A-Za-z0-9_-]*(?:password|passwd|secret|token|api[_-]?key)[A-Za-z0-9_-]*)(\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s&;,]+)/gi, `$1$2${REDACTED}`],
  [/\b([a-z][a-z0-9+.-]*:\/\/)([^\s/@:]+):([^\s/@]+)@/gi, `$1$2:${REDACTED}@`],
];

/** The string with secret-looking parts (tokens, keys, passwords in URLs or assignments) masked. */
export function redactSecretText(text: string): string {
  let out = text;
  for (const [pattern, replacement] of VALUE_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}…[+${text.length - max} chars]`;
}

class PreviewBuilder {
  private budget: number;

  constructor(private readonly limits: PreviewLimits) {
    this.budget = limits.maxTotalChars;
  }

  private spend(chars: number): boolean {
    if (this.budget <= 0) return false;
    this.budget -= chars;
    return true;
  }

  value(input: unknown, depth: number): JsonValue {
    if (this.budget <= 0) return BUDGET_MARKER;
    switch (typeof input) {
      case "string": {
        const text = truncate(redactSecretText(input), this.limits.maxStringChars);
        this.spend(text.length + 2);
        return text;
      }
      case "number":
        this.spend(8);
        return Number.isFinite(input) ? input : String(input);
      case "boolean":
        this.spend(5);
        return input;
      case "bigint":
        this.spend(8);
        return input.toString();
      case "object":
        if (input === null) {
          this.spend(4);
          return null;
        }
        if (depth >= this.limits.maxDepth) return DEPTH_MARKER;
        return Array.isArray(input) ? this.array(input, depth) : this.object(input as Record<string, unknown>, depth);
      default:
        return `[${typeof input}]`;
    }
  }

  private array(items: readonly unknown[], depth: number): JsonValue[] {
    const out: JsonValue[] = [];
    const shown = Math.min(items.length, this.limits.maxArrayItems);
    for (let i = 0; i < shown; i++) {
      if (this.budget <= 0) {
        out.push(`${BUDGET_MARKER}: ${items.length - i} more items`);
        return out;
      }
      out.push(this.value(items[i] ?? null, depth + 1));
    }
    if (items.length > shown) out.push(`… ${items.length - shown} more items`);
    return out;
  }

  object(record: Readonly<Record<string, unknown>>, depth: number): JsonObject {
    const out: JsonObject = {};
    const keys = Object.keys(record).filter((key) => record[key] !== undefined);
    let shown = 0;
    for (const key of keys) {
      if (shown >= this.limits.maxObjectKeys || this.budget <= 0) {
        out[MORE_KEY] = `${keys.length - shown} more keys not shown`;
        break;
      }
      const name = truncate(key, MAX_KEY_CHARS);
      this.spend(name.length + 3);
      const member = record[key];
      out[name] = isSecretKey(key) && member !== null ? REDACTED : this.value(member, depth + 1);
      shown += 1;
    }
    return out;
  }
}

/**
 * A redacted, size-capped copy of request arguments, always a JSON object (a protobuf Struct):
 * non-object arguments are wrapped as {"value": …}, absent ones give {}.
 */
export function argumentsPreview(args: unknown, limits: Partial<PreviewLimits> = {}): JsonObject {
  const builder = new PreviewBuilder({ ...DEFAULT_PREVIEW_LIMITS, ...limits });
  if (args === undefined || args === null) return {};
  if (typeof args === "object" && !Array.isArray(args)) return builder.object(args as Record<string, unknown>, 0);
  return { value: builder.value(args, 1) };
}

export const DIGEST_PREFIX = "sha256:";

/**
 * "sha256:<64 hex>" over the canonical JSON of the full arguments (absent arguments hash as
 * null). Throws HitlError(InvalidRequest) for values JSON cannot represent exactly.
 */
export function argumentsDigest(args: unknown): string {
  try {
    return `${DIGEST_PREFIX}${sha256Hex(canonicalJson(args === undefined ? null : args))}`;
  } catch (error) {
    throw new HitlError(HitlErrorCode.InvalidRequest, `Cannot digest the request arguments for approval: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
}
