// The per-proxy key that signs integrity state rows (state-mac.ts, spec audit.md §16.1). It lives
// in the proxy's config dir, apart from its log dir: whoever rewrites a log and its state row to
// match (truncation) cannot re-sign the row without it. Both are built-in protected paths no MCP
// tool may touch. Until the OS secret store is wired in, the key is a 0600 file; the proxy creates
// it on its first start. Every writer of state rows (proxy, `audit repair`/`adopt`) must sign with
// it, and every verifier should pass it, or signed rows cannot be told from forged ones.

import { closeSync, constants, fsyncSync, openSync, readFileSync, writeSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { dirname, join } from "node:path";
import { type AppPaths, ensurePrivateDir, proxyDir } from "../paths/index.ts";
import { AuditError, AuditErrorCode, describeError, errnoCode } from "./errors.ts";

export const AUDIT_KEY_FILE = "audit.key";
export const AUDIT_KEY_BYTES = 32;
const KEY_TEXT = /^[0-9a-f]{64}\n?$/;

/** `<config>/proxies/<name>/audit.key`. */
export function auditKeyPath(paths: AppPaths, name: string): string {
  return join(proxyDir(paths, name), AUDIT_KEY_FILE);
}

/** The key, or null when there is no key file. Throws AuditError(StateCorrupt) for a malformed one. */
export function readAuditKey(path: string): Uint8Array | null {
  let text: string;
  try {
    text = readFileSync(path, "latin1");
  } catch (error) {
    if (errnoCode(error) === "ENOENT") return null;
    throw new AuditError(AuditErrorCode.StateUnavailable, `Cannot read the audit key ${path}: ${describeError(error)}`, { path, cause: error });
  }
  if (!KEY_TEXT.test(text)) {
    throw new AuditError(AuditErrorCode.StateCorrupt, `The audit key ${path} is not ${AUDIT_KEY_BYTES * 2} hex digits: it was edited or damaged`, {
      path,
      hint: "Restore it from a backup; without it the integrity state cannot be checked. `mcp-acp audit repair` rebuilds the state under a new key.",
    });
  }
  return Uint8Array.from(Buffer.from(text.slice(0, AUDIT_KEY_BYTES * 2), "hex"));
}

/** Creates a new random key file (0600, never overwriting one); returns the key. */
export function createAuditKey(path: string): Uint8Array {
  const key = Uint8Array.from(randomBytes(AUDIT_KEY_BYTES));
  let fd: number | undefined;
  try {
    ensurePrivateDir(dirname(path));
    fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), 0o600);
    writeSync(fd, `${Buffer.from(key).toString("hex")}\n`);
    fsyncSync(fd);
  } catch (error) {
    throw new AuditError(AuditErrorCode.WriteFailed, `Cannot create the audit key ${path}: ${describeError(error)}`, { path, cause: error });
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  return key;
}
