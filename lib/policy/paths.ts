// Lexical path handling for the decision context: file:// decoding, `~` and cwd resolution,
// `..` collapsing, and the filename/extension split. No filesystem access (symlinks are the
// protected-path check's business, through an injected realpath).

import { PolicyError, PolicyErrorCode } from "./errors.ts";

export interface PathNormalizeOptions {
  /** Relative paths are resolved against this directory; without it they stay relative. */
  cwd?: string;
  /** `~` and `~/…` expand to this directory; without it they are left as written. */
  homeDir?: string;
}

function contextError(message: string): PolicyError {
  return new PolicyError(PolicyErrorCode.ContextBuild, message);
}

/** POSIX lexical normalisation: collapses `//`, `.` and `..`, drops trailing `/`. */
export function normalizePathLexically(path: string): string {
  const absolute = path.startsWith("/");
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (out.length > 0 && out[out.length - 1] !== "..") out.pop();
      else if (!absolute) out.push("..");
      continue;
    }
    out.push(part);
  }
  if (absolute) return `/${out.join("/")}`;
  return out.length === 0 ? "." : out.join("/");
}

export function isFileUri(value: string): boolean {
  return /^file:/i.test(value);
}

/** The percent-decoded path of a `file:` URI. A host other than `localhost` is refused. */
export function decodeFileUri(uri: string): string {
  let rest = uri.slice("file:".length);
  const cut = rest.search(/[?#]/);
  if (cut >= 0) rest = rest.slice(0, cut);
  if (rest.startsWith("//")) {
    const slash = rest.indexOf("/", 2);
    const host = slash < 0 ? rest.slice(2) : rest.slice(2, slash);
    if (host !== "" && host.toLowerCase() !== "localhost") {
      throw contextError(`file URI "${uri}" names host "${host}"; only local file URIs (file:///path) are accepted`);
    }
    rest = slash < 0 ? "/" : rest.slice(slash);
  }
  try {
    return decodeURIComponent(rest);
  } catch {
    throw contextError(`file URI "${uri}" has malformed percent-encoding`);
  }
}

/**
 * Canonical lexical form of a path taken from a request: file URIs decoded, NUL refused,
 * `~` expanded and relative paths resolved when the options allow, then `..` collapsed.
 */
export function normalizeRequestPath(raw: string, options: PathNormalizeOptions = {}): string {
  let path = isFileUri(raw) ? decodeFileUri(raw) : raw;
  if (path.includes("\0")) throw contextError(`path ${JSON.stringify(raw)} contains a NUL character`);
  const home = options.homeDir;
  if (home !== undefined && (path === "~" || path.startsWith("~/"))) path = home + path.slice(1);
  const cwd = options.cwd;
  if (cwd !== undefined && !path.startsWith("/")) path = `${cwd}/${path}`;
  return normalizePathLexically(path);
}

/** Last component; `/` has none. */
export function pathFilename(path: string): string | null {
  const name = path.slice(path.lastIndexOf("/") + 1);
  return name === "" || name === "." || name === ".." ? null : name;
}

/** Everything before the last component, or null for a bare name. */
export function pathParentDir(path: string): string | null {
  const slash = path.lastIndexOf("/");
  if (slash < 0) return null;
  return slash === 0 ? "/" : path.slice(0, slash);
}

/**
 * Last suffix including its dot, by Python's PurePath.suffix rule: a last dot at index 0 or at
 * the final index does not count (`.env` → null, `file.` → null, `x.tar.gz` → `.gz`).
 */
export function pathExtension(path: string): string | null {
  const name = pathFilename(path);
  if (name === null) return null;
  const dot = name.lastIndexOf(".");
  return dot > 0 && dot < name.length - 1 ? name.slice(dot) : null;
}
