// Built-in protection of the application's own config and log directories (spec §10 with the
// fail-closed fixes). Checked by the PEP on every path a request touches, before discovery and
// before any rule, for any engine; no policy can override it.
//
// Pure: the filesystem is reached only through the injected functions, so the proxy passes
// node:fs and tests can pass a map.

import { PolicyError, PolicyErrorCode } from "./errors.ts";
import type { DecisionContext } from "./model.ts";
import { normalizePathLexically } from "./paths.ts";

export interface ProtectedPathOptions {
  /** Absolute directories, already realpath'ed by the caller (pass both forms if they differ). */
  protectedDirs: readonly string[];
  /** Resolves symlinks; may throw, and a throw denies (fail closed). */
  realpath: (path: string) => string;
  /** Base for relative paths; without it a relative path is checked only in resolved form. */
  cwd?: string;
  /** Compare case-insensitively (macOS and Windows default filesystems). */
  caseInsensitive?: boolean;
}

export type ProtectedPathVerdict =
  | { protected: false }
  | {
      protected: true;
      /** The request's path that was refused. */
      path: string;
      /** The protected directory it falls in, or null when it could not be resolved. */
      dir: string | null;
      reason: string;
    };

const NOT_PROTECTED: ProtectedPathVerdict = Object.freeze({ protected: false });

/** True when `path` is `dir` or below it; `/protectedX` is not below `/protected`. */
export function isWithinDir(path: string, dir: string, caseInsensitive = false): boolean {
  const p = caseInsensitive ? path.toLowerCase() : path;
  let d = caseInsensitive ? dir.toLowerCase() : dir;
  while (d.length > 1 && d.endsWith("/")) d = d.slice(0, -1);
  if (p === d) return true;
  return p.startsWith(d === "/" ? d : `${d}/`);
}

function containingDir(path: string, options: ProtectedPathOptions): string | null {
  for (const dir of options.protectedDirs) {
    if (isWithinDir(path, dir, options.caseInsensitive === true)) return dir;
  }
  return null;
}

/** Checks every path, in both lexical and resolved form. The first refusal is returned. */
export function checkProtectedPaths(paths: readonly string[], options: ProtectedPathOptions): ProtectedPathVerdict {
  for (const path of paths) {
    const lexical = path.startsWith("/")
      ? normalizePathLexically(path)
      : options.cwd === undefined
        ? null
        : normalizePathLexically(`${options.cwd}/${path}`);
    if (lexical !== null) {
      const dir = containingDir(lexical, options);
      if (dir !== null) return { protected: true, path, dir, reason: `path is inside the protected directory ${dir}` };
    }
    let resolved: string;
    try {
      resolved = options.realpath(lexical ?? path);
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      return { protected: true, path, dir: null, reason: `path could not be resolved, so it is refused: ${detail}` };
    }
    const dir = containingDir(resolved, options);
    if (dir !== null) {
      return { protected: true, path, dir, reason: `path resolves to ${resolved}, inside the protected directory ${dir}` };
    }
  }
  return NOT_PROTECTED;
}

/** checkProtectedPaths over every path of a decision context. */
export function checkProtectedContext(ctx: DecisionContext, options: ProtectedPathOptions): ProtectedPathVerdict {
  return checkProtectedPaths(ctx.resource.paths, options);
}

export interface RealpathPrimitives {
  /** Strict realpath (e.g. fs.realpathSync.native); throws with code ENOENT for missing paths. */
  realpath: (path: string) => string;
  /** Symlink target of `path`, or null when it is not a symlink or does not exist. */
  readlink: (path: string) => string | null;
}

const MAX_SYMLINK_HOPS = 40;

function errorCode(error: unknown): unknown {
  return error !== null && typeof error === "object" ? (error as { code?: unknown }).code : undefined;
}

function isMissing(error: unknown): boolean {
  const code = errorCode(error);
  return code === "ENOENT" || code === "ENOTDIR";
}

function splitLast(path: string): [string, string] {
  const slash = path.lastIndexOf("/");
  return [slash <= 0 ? "/" : path.slice(0, slash), path.slice(slash + 1)];
}

function joinPath(dir: string, name: string): string {
  return dir === "/" ? `/${name}` : `${dir}/${name}`;
}

/**
 * Wraps a strict realpath so a path that does not exist yet resolves through its nearest
 * existing ancestor, following dangling symlinks, so a write to a new file through a symlinked
 * directory (or a symlink to a not-yet-created file) is still seen where it lands. Errors other
 * than "missing" propagate, which the check treats as a refusal.
 */
export function createAncestorRealpath(fs: RealpathPrimitives): (path: string) => string {
  const resolve = (path: string, hops: number): string => {
    try {
      return fs.realpath(path);
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
    if (hops > MAX_SYMLINK_HOPS) {
      throw new PolicyError(PolicyErrorCode.ContextBuild, `too many levels of symbolic links while resolving ${path}`);
    }
    if (path === "/" || !path.startsWith("/")) return path;
    const [parent, name] = splitLast(path);
    const realParent = resolve(parent, hops);
    const link = fs.readlink(joinPath(realParent, name));
    if (link !== null) {
      const target = link.startsWith("/") ? link : joinPath(realParent, link);
      return resolve(normalizePathLexically(target), hops + 1);
    }
    if (name === "..") return splitLast(realParent)[0];
    if (name === "." || name === "") return realParent;
    return joinPath(realParent, name);
  };
  return (path) => resolve(path, 0);
}
