// Typed option values that citty's parser leaves as strings. A value that is not of the
// option's type is a usage error (exit 2), like an unknown option.
import { usageError } from "./errors.ts";

export interface IntegerRange {
  min: number;
  max: number;
}

export function parseIntegerOption(value: string | undefined, flag: string, range: IntegerRange): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (!/^\d+$/.test(trimmed)) throw usageError(`Invalid value '${value}' for ${flag}: expected a whole number.`);
  const n = Number(trimmed);
  if (n < range.min || n > range.max) {
    throw usageError(`Invalid value '${value}' for ${flag}: must be between ${range.min} and ${range.max}.`);
  }
  return n;
}

/** Options that only make sense together: all or none. Returns true when all are present. */
export function requireAllOrNone(given: Record<string, string | undefined>): boolean {
  const flags = Object.keys(given);
  const missing = flags.filter((f) => given[f] === undefined);
  if (missing.length === flags.length) return false;
  if (missing.length > 0) {
    const present = flags.filter((f) => given[f] !== undefined);
    throw usageError(
      `Missing required option ${missing.join(", ")}: ${flags.join(", ")} must be given together (got ${present.join(", ")}).`,
    );
  }
  return true;
}
