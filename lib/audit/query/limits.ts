// Validation of a page size (spec audit.md §11: 1..1000, [new] for incidents too).

import { MAX_LIMIT, MIN_LIMIT } from "./constants.ts";
import { invalidArgument } from "./errors.ts";

export function validateLimit(limit: number | undefined, fallback: number, field = "limit"): number {
  if (limit === undefined) return fallback;
  if (!Number.isSafeInteger(limit) || limit < MIN_LIMIT || limit > MAX_LIMIT) {
    throw invalidArgument(field, `Invalid ${field} ${String(limit)}: must be a whole number from ${MIN_LIMIT} to ${MAX_LIMIT}.`);
  }
  return limit;
}
