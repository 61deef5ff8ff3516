// File moves for deleting a proxy: sizes, a move that also works across file systems (the log dir
// and the config dir may live on different ones), and a private folder created exclusively.
import { cpSync, lstatSync, mkdirSync, readdirSync, renameSync, rmdirSync, rmSync } from "node:fs";
import { join } from "node:path";

function errnoCode(error: unknown): string | undefined {
  return typeof error === "object" && error !== null && "code" in error && typeof error.code === "string" ? error.code : undefined;
}

/** Total size of a file or folder tree in bytes (0 when it does not exist). */
export function treeSize(path: string): number {
  let stats;
  try {
    stats = lstatSync(path);
  } catch (error) {
    if (errnoCode(error) === "ENOENT") return 0;
    throw error;
  }
  if (!stats.isDirectory()) return stats.size;
  return readdirSync(path).reduce((sum, entry) => sum + treeSize(join(path, entry)), 0);
}

export function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Moves a file or folder; across file systems it is copied, then removed. */
export function moveTree(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (error) {
    if (errnoCode(error) !== "EXDEV") throw error;
    cpSync(from, to, { recursive: true, preserveTimestamps: true, errorOnExist: true, force: false });
    rmSync(from, { recursive: true, force: true });
  }
}

/** Creates `<parent>/<base>` (0700), or `<base>-1`, `<base>-2`… when taken; returns the name used. */
export function createUniqueDir(parent: string, base: string): string {
  mkdirSync(parent, { recursive: true, mode: 0o700 });
  for (let n = 0; n < 1000; n++) {
    const name = n === 0 ? base : `${base}-${n}`;
    try {
      mkdirSync(join(parent, name), { mode: 0o700 });
      return name;
    } catch (error) {
      if (errnoCode(error) !== "EEXIST") throw error;
    }
  }
  throw new Error(`No free folder name for ${base} in ${parent}`);
}

/** Removes an empty folder; a folder that still holds something is left alone. */
export function removeIfEmpty(path: string): boolean {
  try {
    if (readdirSync(path).length > 0) return false;
    rmdirSync(path);
    return true;
  } catch (error) {
    if (errnoCode(error) === "ENOENT") return true;
    throw error;
  }
}
