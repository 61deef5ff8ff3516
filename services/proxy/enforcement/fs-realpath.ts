// The real filesystem behind the protected-path check: strict realpath, and readlink that says
// "not a link" for plain files and missing paths but lets every other error through, so the
// check refuses what it cannot resolve (fail closed).
import { readlinkSync, realpathSync } from "node:fs";
import { createAncestorRealpath } from "../../../lib/policy/index.ts";

function errnoCode(error: unknown): unknown {
  return error !== null && typeof error === "object" ? (error as { code?: unknown }).code : undefined;
}

function readlinkOrNull(path: string): string | null {
  try {
    return readlinkSync(path);
  } catch (error) {
    const code = errnoCode(error);
    if (code === "EINVAL" || code === "ENOENT" || code === "ENOTDIR") return null;
    throw error;
  }
}

/** realpath that resolves a not-yet-existing path through its nearest existing ancestor. */
export function createFsRealpath(): (path: string) => string {
  return createAncestorRealpath({ realpath: (p) => realpathSync.native(p), readlink: readlinkOrNull });
}
