// Compiled condition matchers. Everything that can be prepared (regexes, sets, lowercased
// literals, JSON pointer tokens) is prepared here, once per policy load; the functions returned
// only test values.

import { PolicyError, PolicyErrorCode } from "./errors.ts";
import { type CompiledPathGlob, compilePathGlob, isLiteralShellGlob, shellGlobToRegExp, stripTrailingSlashes } from "./glob.ts";
import { parseJsonPointer, resolveJsonPointer } from "./json-pointer.ts";
import type { ArgumentMatcher, JsonValue, StringOrList } from "./model.ts";
import { userRegExp } from "./user-regex.ts";

// compilePolicy validates first, so these only fire for a Policy object that bypassed it.
function invariant(message: string): PolicyError {
  return new PolicyError(PolicyErrorCode.Validation, `cannot compile policy: ${message}`);
}

export type StringTest = (value: string) => boolean;

export function listOf(value: StringOrList): readonly string[] {
  return typeof value === "string" ? [value] : value;
}

function anyRegex(regexes: readonly RegExp[]): StringTest {
  if (regexes.length === 1) {
    const only = regexes[0] as RegExp;
    return (v) => only.test(v);
  }
  return (v) => {
    for (const r of regexes) if (r.test(v)) return true;
    return false;
  };
}

/**
 * Shell-glob list (tool_name, backend_id, mcp_method). Literal items go into a Set so the
 * common exact case costs one hash lookup. With ignoreCase the value passed in must already be
 * lowercased.
 */
export function shellGlobList(patterns: readonly string[], ignoreCase: boolean): StringTest {
  const literals = new Set<string>();
  const regexes: RegExp[] = [];
  for (const p of patterns) {
    if (isLiteralShellGlob(p)) literals.add(ignoreCase ? p.toLowerCase() : p);
    else regexes.push(shellGlobToRegExp(p, { ignoreCase }));
  }
  if (regexes.length === 0) return (v) => literals.has(v);
  const globs = anyRegex(regexes);
  if (literals.size === 0) return globs;
  return (v) => literals.has(v) || globs(v);
}

/** Path-glob list (path_pattern, source_path, dest_path). */
export function pathGlobList(patterns: readonly string[], ignoreCase: boolean): StringTest {
  const globs: CompiledPathGlob[] = [];
  for (const p of patterns) {
    const g = compilePathGlob(p, { ignoreCase });
    // With case folding the literal prefix cannot be compared as-is; the regex alone decides.
    if (g !== null) globs.push(ignoreCase ? { regex: g.regex, prefix: "" } : g);
  }
  if (globs.length === 0) return () => false;
  return (v) => {
    const value = stripTrailingSlashes(v);
    if (value === "") return false;
    for (const g of globs) if (value.startsWith(g.prefix) && g.regex.test(value)) return true;
    return false;
  };
}

function compileUserRegex(source: string, ignoreCase: boolean): RegExp {
  const r = userRegExp(source, ignoreCase);
  // Validation has already rejected bad regexes; reaching this means the Policy was built by hand.
  if (typeof r === "string") throw invariant(`invalid regular expression ${JSON.stringify(source)}: ${r}`);
  return r;
}

/** Whole-value regex list (path_regex, argument regex). */
export function regexList(sources: readonly string[], ignoreCase: boolean): StringTest {
  return anyRegex(sources.map((s) => compileUserRegex(s, ignoreCase)));
}

/** Exact membership, optionally case-insensitive (the value must then be lowercased). */
export function exactList(values: readonly string[], ignoreCase: boolean): StringTest {
  const set = new Set(ignoreCase ? values.map((v) => v.toLowerCase()) : values);
  return (v) => set.has(v);
}

function jsonEqual(a: unknown, b: JsonValue): boolean {
  if (a === b) return true;
  if (b === null || typeof b !== "object" || a === null || typeof a !== "object") return false;
  if (Array.isArray(b)) {
    if (!Array.isArray(a) || a.length !== b.length) return false;
    for (let i = 0; i < b.length; i++) if (!jsonEqual(a[i], b[i] as JsonValue)) return false;
    return true;
  }
  if (Array.isArray(a)) return false;
  const ra = a as Record<string, unknown>;
  const keys = Object.keys(b);
  if (Object.keys(ra).length !== keys.length) return false;
  for (const k of keys) if (!Object.hasOwn(ra, k) || !jsonEqual(ra[k], b[k] as JsonValue)) return false;
  return true;
}

export type ArgumentsTest = (args: unknown) => boolean;

// Glob and regex test strings; numbers and booleans are tested in their JSON text form.
// Objects, arrays, null and missing values never match a glob or regex.
function scalarText(value: unknown): string | null {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return null;
}

function argumentTest(pointer: string, matcher: ArgumentMatcher): ArgumentsTest {
  const tokens = parseJsonPointer(pointer);
  if (typeof tokens === "string") throw invariant(`invalid JSON pointer ${JSON.stringify(pointer)}: ${tokens}`);
  if ("equals" in matcher) {
    const expected = matcher.equals;
    return (args) => jsonEqual(resolveJsonPointer(args, tokens), expected);
  }
  const test = "glob" in matcher ? shellGlobList(listOf(matcher.glob), false) : regexList(listOf(matcher.regex), false);
  return (args) => {
    const text = scalarText(resolveJsonPointer(args, tokens));
    return text !== null && test(text);
  };
}

/** All pointers must match (AND), like the fields of a rule. */
export function argumentsMatcher(conditions: Record<string, ArgumentMatcher>): ArgumentsTest {
  const tests = Object.entries(conditions).map(([pointer, m]) => argumentTest(pointer, m));
  return (args) => {
    for (const t of tests) if (!t(args)) return false;
    return true;
  };
}
