import { chmodSync, mkdirSync } from "node:fs";

/** Mode of every directory mcp-acp creates: only the owner may list or enter it. */
export const PRIVATE_DIR_MODE = 0o700;

/**
 * mkdir -p with mode 0700, then chmod 0700 even when the directory already existed (the umask
 * filters mkdir's mode, and an older install may have created it wider). OS errors propagate
 * with the path in their message (e.g. EEXIST when a file is in the way).
 */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  chmodSync(dir, PRIVATE_DIR_MODE);
}
