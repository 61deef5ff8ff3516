// Glob → anchored RegExp translation, done once at compile time.
// Two dialects (spec §5.2, §5.3):
//   path glob  — `*` and `?` stay inside one segment, `**` crosses segments, a trailing `/**`
//                also matches the directory itself, brackets and backslashes are literal;
//   shell glob — fnmatch: `*` crosses `/`, `?` is one character, `[seq]`/`[!seq]` are classes,
//                an unclosed `[` is literal.
// All regexes use the `s` flag so a newline in a value cannot slip past `*` or `.*`, and `u` so
// `?` stands for one code point rather than half of a surrogate pair.

const REGEX_SYNTAX = new Set(["^", "$", "\\", ".", "*", "+", "?", "(", ")", "[", "]", "{", "}", "|"]);

function escapeChar(ch: string): string {
  return REGEX_SYNTAX.has(ch) ? `\\${ch}` : ch;
}

export function escapeRegExp(text: string): string {
  let out = "";
  for (const ch of text) out += escapeChar(ch);
  return out;
}

export function stripTrailingSlashes(value: string): string {
  let end = value.length;
  while (end > 0 && value.charCodeAt(end - 1) === 47) end--;
  return end === value.length ? value : value.slice(0, end);
}

/** True when the pattern contains `*` or `?` (the wildcards that count for specificity). */
export function hasWildcard(pattern: string): boolean {
  return pattern.includes("*") || pattern.includes("?");
}

export interface GlobOptions {
  ignoreCase?: boolean;
}

function flags(options: GlobOptions | undefined): string {
  return options?.ignoreCase === true ? "sui" : "su";
}

export interface CompiledPathGlob {
  regex: RegExp;
  /** Literal text every match starts with; a cheap `startsWith` test before the regex. */
  prefix: string;
}

/**
 * Path glob → anchored RegExp plus its literal prefix, or null when the pattern is empty once
 * trailing slashes are stripped (so `/` matches nothing). Values must have their trailing
 * slashes stripped too.
 */
export function compilePathGlob(pattern: string, options?: GlobOptions): CompiledPathGlob | null {
  let body = stripTrailingSlashes(pattern);
  if (body === "") return null;
  let tail = "";
  if (body.endsWith("/**")) {
    body = body.slice(0, -3);
    tail = "(?:/.*)?";
  }
  const wildcard = body.search(/[*?]/);
  const prefix = wildcard < 0 ? body : body.slice(0, wildcard);
  const chars = Array.from(body);
  let source = "";
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] as string;
    if (ch === "*") {
      if (chars[i + 1] === "*") {
        source += ".*";
        i++;
      } else {
        source += "[^/]*";
      }
    } else if (ch === "?") {
      source += "[^/]";
    } else {
      source += escapeChar(ch);
    }
  }
  return { regex: new RegExp(`^${source}${tail}$`, flags(options)), prefix };
}

/** compilePathGlob without the prefix. */
export function pathGlobToRegExp(pattern: string, options?: GlobOptions): RegExp | null {
  return compilePathGlob(pattern, options)?.regex ?? null;
}

const CLASS_SPECIAL = new Set(["\\", "]", "[", "^", "-"]);

function classChar(ch: string): string {
  return CLASS_SPECIAL.has(ch) ? `\\${ch}` : ch;
}

// Builds a character class body from fnmatch bracket content. Reversed ranges (`z-a`) are
// dropped, as Python does, instead of being a RegExp syntax error.
function classSource(content: string[], negate: boolean): string {
  let body = "";
  for (let i = 0; i < content.length; i++) {
    const ch = content[i] as string;
    const next = content[i + 1];
    const end = content[i + 2];
    if (next === "-" && end !== undefined) {
      if ((ch.codePointAt(0) ?? 0) <= (end.codePointAt(0) ?? 0)) body += `${classChar(ch)}-${classChar(end)}`;
      i += 2;
    } else {
      body += classChar(ch);
    }
  }
  if (body === "") return negate ? "." : "(?!)";
  return negate ? `[^${body}]` : `[${body}]`;
}

/** Shell glob (fnmatch) over the whole string → anchored RegExp. */
export function shellGlobToRegExp(pattern: string, options?: GlobOptions): RegExp {
  const chars = Array.from(pattern);
  const n = chars.length;
  let source = "";
  let i = 0;
  while (i < n) {
    const ch = chars[i++] as string;
    if (ch === "*") {
      while (chars[i] === "*") i++;
      source += ".*";
    } else if (ch === "?") {
      source += ".";
    } else if (ch === "[") {
      let j = i;
      if (chars[j] === "!") j++;
      if (chars[j] === "]") j++;
      while (j < n && chars[j] !== "]") j++;
      if (j >= n) {
        source += "\\[";
      } else {
        let content = chars.slice(i, j);
        i = j + 1;
        const negate = content[0] === "!";
        if (negate) content = content.slice(1);
        source += classSource(content, negate);
      }
    } else {
      source += escapeChar(ch);
    }
  }
  return new RegExp(`^${source}$`, flags(options));
}

/** True when the shell glob has no `*`, `?` or bracket class, so it is a literal string. */
export function isLiteralShellGlob(pattern: string): boolean {
  return !pattern.includes("*") && !pattern.includes("?") && !pattern.includes("[");
}
