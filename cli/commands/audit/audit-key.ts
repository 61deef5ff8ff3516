// The proxy's audit key (lib/audit/state-key.ts) as the audit commands need it: verify checks the
// state rows' signatures with it; repair and adopt sign the rows they write, creating the key only
// when none exists (then no existing row can have been signed, and the proxy will use the new one).
import { randomBytes } from "node:crypto";
import { AUDIT_KEY_BYTES, AuditError, auditKeyPath, createAuditKey, readAuditKey } from "../../../lib/audit/index.ts";
import type { AppPaths } from "../../../lib/paths/index.ts";
import { failure, type CliError } from "../../errors.ts";

export interface ProxyAuditKey {
  path: string;
  /** The key in the key file; null when there is none. */
  existing: Uint8Array | null;
  /**
   * The key to check rows with. Without a key file it is a throwaway key, so rows that exist
   * count as unsigned, exactly as the proxy's startup gate sees them (it refuses to start then).
   */
  checking: Uint8Array;
}

/** A key file that cannot be read or is malformed, as the CLI error the commands report. */
export function auditKeyFailure(error: AuditError): CliError {
  return failure(error.message, error.hint ?? "Restore the key from a backup, or move it away and rebuild the state with 'mcp-acp audit repair'.");
}

/** Reads the proxy's key; throws AuditError for a malformed or unreadable key file. */
export function readProxyAuditKey(paths: AppPaths, name: string): ProxyAuditKey {
  const path = auditKeyPath(paths, name);
  const existing = readAuditKey(path);
  return { path, existing, checking: existing ?? Uint8Array.from(randomBytes(AUDIT_KEY_BYTES)) };
}

/** Like readProxyAuditKey, with a bad key file reported as a CLI failure (exit 1). */
export function proxyAuditKey(paths: AppPaths, name: string): ProxyAuditKey {
  try {
    return readProxyAuditKey(paths, name);
  } catch (error) {
    if (error instanceof AuditError) throw auditKeyFailure(error);
    throw error;
  }
}

/** The key that signs the rows about to be written: the existing one, or a new key file. */
export function signingKey(key: ProxyAuditKey): Uint8Array {
  if (key.existing !== null) return key.existing;
  try {
    return createAuditKey(key.path);
  } catch (error) {
    if (error instanceof AuditError) throw failure(error.message, "Make the proxy's config directory writable by you, then run this again.");
    throw error;
  }
}
