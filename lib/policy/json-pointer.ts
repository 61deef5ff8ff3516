// RFC 6901 JSON pointers for `arguments` conditions: parsed once at compile time into tokens,
// resolved against `params.arguments` on every evaluation without allocating.

/** Parses a pointer into reference tokens, or returns an error message. `""` is the whole value. */
export function parseJsonPointer(pointer: string): string[] | string {
  if (pointer === "") return [];
  if (!pointer.startsWith("/")) return `a JSON pointer starts with "/" (got "${pointer}"); use "/name" for a top-level argument`;
  const tokens: string[] = [];
  for (const raw of pointer.slice(1).split("/")) {
    if (/~(?![01])/.test(raw)) return `"~" must be followed by 0 or 1 in a JSON pointer (use "~0" for "~" and "~1" for "/")`;
    tokens.push(raw.replaceAll("~1", "/").replaceAll("~0", "~"));
  }
  return tokens;
}

const ARRAY_INDEX = /^(?:0|[1-9][0-9]*)$/;

/** The value the tokens point at, or undefined when any step is missing. */
export function resolveJsonPointer(root: unknown, tokens: readonly string[]): unknown {
  let current: unknown = root;
  for (const token of tokens) {
    if (Array.isArray(current)) {
      if (!ARRAY_INDEX.test(token)) return undefined;
      const index = Number(token);
      if (index >= current.length) return undefined;
      current = current[index];
    } else if (current !== null && typeof current === "object") {
      if (!Object.hasOwn(current, token)) return undefined;
      current = (current as Record<string, unknown>)[token];
    } else {
      return undefined;
    }
  }
  return current;
}
