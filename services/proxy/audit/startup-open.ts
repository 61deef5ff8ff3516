// The pieces of ProxyAudit.open that turn a verified log dir into open files: the state key
// (read, or created on a first start but never beside signed rows), the state store for the
// running writer, and where each verified file ends and where the monitor resumes.
import {
  AuditError,
  AuditErrorCode,
  EMPTY_CHAIN_HEAD,
  IntegrityStateStore,
  auditKeyPath,
  createAuditKey,
  integrityStatePath,
  readAuditKey,
  type VerifiedHead,
  type VerifyFileResult,
} from "../../../lib/audit/index.ts";
import type { AppPaths } from "../../../lib/paths/index.ts";
import type { VerifiedEnd } from "./chained-file.ts";
import { errorText, ProxyAuditError, ProxyAuditErrorCode } from "./errors.ts";

export interface KeyOwner {
  paths: AppPaths;
  name: string;
  logDir: string;
}

export function verifiedEnd(result: VerifyFileResult): VerifiedEnd {
  if (result.entries === 0 || result.lastHash === null) return { head: EMPTY_CHAIN_HEAD, lastEntryOffset: -1, size: result.verifiedSize };
  return { head: { sequence: result.lastSequence, lastHash: result.lastHash }, lastEntryOffset: result.lastEntryOffset, size: result.verifiedSize };
}

export function resumeFrom(result: VerifyFileResult): VerifiedHead | undefined {
  if (result.entries === 0 || result.lastHash === null) return undefined;
  return { entryOffset: result.lastEntryOffset, line: result.lastLine, sequence: result.lastSequence, entryHash: result.lastHash };
}

/** The key that signs state rows: read, or created on a first start (never beside existing rows). */
export function loadKey(options: KeyOwner): { key: Uint8Array; create: boolean } {
  const path = auditKeyPath(options.paths, options.name);
  let key: Uint8Array | null;
  try {
    key = readAuditKey(path);
  } catch (error) {
    throw new ProxyAuditError(ProxyAuditErrorCode.IntegrityFailed, `Audit log integrity verification failed: ${errorText(error)}`, { cause: error });
  }
  if (key !== null) return { key, create: false };
  let rows = 0;
  try {
    const store = IntegrityStateStore.open(integrityStatePath(options.logDir), { create: false });
    try {
      rows = store.list().length;
    } finally {
      store.close();
    }
  } catch {
    // No database, or one the gate will report on its own.
  }
  if (rows > 0) {
    throw new ProxyAuditError(
      ProxyAuditErrorCode.IntegrityFailed,
      `Audit log integrity verification failed: the audit key ${path} is missing, but the integrity state ${integrityStatePath(options.logDir)} holds ${rows} row(s) signed with it: the key was deleted`,
      { hint: `Restore the key from a backup, or rebuild the state with 'mcp-acp audit repair --proxy ${options.name}'.` },
    );
  }
  // Nothing is signed yet: any key verifies "no rows"; the real one is created after the gate.
  return { key: new Uint8Array(32), create: true };
}

export function createKeyOrFail(options: KeyOwner): Uint8Array {
  try {
    return createAuditKey(auditKeyPath(options.paths, options.name));
  } catch (error) {
    throw new ProxyAuditError(ProxyAuditErrorCode.Unwritable, errorText(error), { cause: error });
  }
}

export function openStore(path: string, macKey: Uint8Array): IntegrityStateStore {
  try {
    return IntegrityStateStore.open(path, { macKey, synchronous: "normal" });
  } catch (error) {
    const corrupt = error instanceof AuditError && error.code !== AuditErrorCode.StateUnavailable;
    throw new ProxyAuditError(corrupt ? ProxyAuditErrorCode.IntegrityFailed : ProxyAuditErrorCode.Unwritable, `Cannot open the integrity state ${path}: ${errorText(error)}`, { cause: error });
  }
}

