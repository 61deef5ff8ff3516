import type { ConfigIssue } from "./errors.ts";

// Hand-written validation so every message is ours and every problem is reported at once. Each
// reader returns a usable placeholder when a value is bad; callers throw when `issues` is non-empty,
// so placeholders never escape.

export type JsonObject = Record<string, unknown>;

export const ROOT_LOC = "(root)";

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function joinLoc(base: string, key: string | number): string {
  return base === "" ? String(key) : `${base}.${key}`;
}

export class Checker {
  readonly issues: ConfigIssue[] = [];

  add(loc: string, msg: string): void {
    this.issues.push({ loc: loc === "" ? ROOT_LOC : loc, msg });
  }

  /** Reports every key of `obj` that is not in `allowed`. */
  knownKeys(obj: JsonObject, base: string, allowed: readonly string[]): void {
    for (const key of Object.keys(obj)) {
      if (!allowed.includes(key)) this.add(joinLoc(base, key), "unknown key");
    }
  }

  /**
   * The object at obj[key]. Absent → undefined (or an issue when required). `null` counts as
   * absent when `nullable`, and is reported as `null` so callers can keep it.
   */
  object(obj: JsonObject, key: string, base: string, opts: { required?: boolean; nullable?: boolean } = {}): JsonObject | null | undefined {
    const loc = joinLoc(base, key);
    const value = obj[key];
    if (value === undefined) {
      if (opts.required === true) this.add(loc, "is required");
      return undefined;
    }
    if (value === null && opts.nullable === true) return null;
    if (!isJsonObject(value)) {
      this.add(loc, opts.nullable === true ? "must be an object or null" : "must be an object");
      return undefined;
    }
    return value;
  }

  /** A string; `nonEmpty` rejects "" and whitespace-only. Absent and not required → undefined. */
  string(obj: JsonObject, key: string, base: string, opts: { required?: boolean; nonEmpty?: boolean; nullable?: boolean } = {}): string | null | undefined {
    const loc = joinLoc(base, key);
    const value = obj[key];
    if (value === undefined) {
      if (opts.required === true) this.add(loc, "is required");
      return undefined;
    }
    if (value === null && opts.nullable === true) return null;
    if (typeof value !== "string") {
      this.add(loc, opts.nullable === true ? "must be a string or null" : "must be a string");
      return undefined;
    }
    if (opts.nonEmpty === true && value.trim() === "") {
      this.add(loc, "must not be empty");
      return undefined;
    }
    return value;
  }

  /** A required non-empty string; "" when it is missing or bad. */
  requiredString(obj: JsonObject, key: string, base: string): string {
    return this.string(obj, key, base, { required: true, nonEmpty: true }) ?? "";
  }

  /** An integer in [min, max]; the same message for a wrong type and an out-of-range value. */
  integer(obj: JsonObject, key: string, base: string, min: number, max: number, fallback: number): number {
    const value = obj[key];
    if (value === undefined) return fallback;
    if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
      this.add(joinLoc(base, key), `must be an integer between ${min} and ${max}`);
      return fallback;
    }
    return value;
  }

  boolean(obj: JsonObject, key: string, base: string, fallback: boolean): boolean {
    const value = obj[key];
    if (value === undefined) return fallback;
    if (typeof value !== "boolean") {
      this.add(joinLoc(base, key), "must be true or false");
      return fallback;
    }
    return value;
  }

  /** One of `allowed` (case-sensitive); absent → fallback, or an issue when fallback is undefined. */
  oneOf<T extends string>(obj: JsonObject, key: string, base: string, allowed: readonly T[], fallback: T | undefined): T {
    const loc = joinLoc(base, key);
    const value = obj[key];
    const first = allowed[0] as T;
    if (value === undefined) {
      if (fallback === undefined) this.add(loc, `is required (one of: ${allowed.join(", ")})`);
      return fallback ?? first;
    }
    if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
      const msg = allowed.length === 1 ? `must be '${first}' (the only supported value)` : `must be one of: ${allowed.join(", ")}`;
      this.add(loc, msg);
      return fallback ?? first;
    }
    return value as T;
  }

  /** An array of strings; each bad item is reported at `<loc>.<index>`. */
  stringArray(obj: JsonObject, key: string, base: string, fallback: readonly string[], opts: { nonEmptyItems?: boolean } = {}): string[] {
    const loc = joinLoc(base, key);
    const value = obj[key];
    if (value === undefined) return [...fallback];
    if (!Array.isArray(value)) {
      this.add(loc, "must be an array of strings");
      return [...fallback];
    }
    const out: string[] = [];
    value.forEach((item: unknown, index: number) => {
      if (typeof item !== "string") {
        this.add(joinLoc(loc, index), "must be a string");
      } else if (opts.nonEmptyItems === true && item.trim() === "") {
        this.add(joinLoc(loc, index), "must not be empty");
      } else {
        out.push(item);
      }
    });
    return out;
  }
}
