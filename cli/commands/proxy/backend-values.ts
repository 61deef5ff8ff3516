import { backendUrlProblem } from "../../../lib/config/index.ts";

// Checks and normalisation of `proxy add` backend values. Each check returns an error message
// (for re-asking in a prompt) or undefined; flag values that fail are reported with exit 1.

/** "-y, \"@scope/pkg\", /tmp" → ["-y", "@scope/pkg", "/tmp"]: split on commas, trim, strip one
 * matching pair of surrounding quotes, drop empty items. */
export function parseBackendArgs(value: string): string[] {
  return value
    .split(",")
    .map((item) => stripQuotes(item.trim()))
    .filter((item) => item !== "");
}

function stripQuotes(item: string): string {
  if (item.length >= 2) {
    const first = item[0];
    if ((first === '"' || first === "'") && item.endsWith(first)) return item.slice(1, -1);
  }
  return item;
}

/** The library's backend URL rule (http(s)://host…), worded for the command line. */
export function urlProblem(value: string): string | undefined {
  const problem = backendUrlProblem(value.trim());
  return problem === undefined ? undefined : `Invalid URL '${value}': ${problem}.`;
}

export function nonEmptyProblem(what: string): (value: string) => string | undefined {
  return (value) => (value.trim() === "" ? `${what} must not be empty.` : undefined);
}
