// Write-time identity check (spec audit.md §7): before a record goes to an audit file, the path
// must still name the very file the writer opened. A deleted, moved or replaced file means
// somebody is tampering with the trail, so the record is refused rather than written into a file
// nobody will ever read (an unlinked inode) or into an impostor.
import { existsSync, statSync, type BigIntStats } from "node:fs";
import type { FileIdentity } from "../../../lib/audit/index.ts";
import { PROTECTED_LOG_FILES, logFilePath } from "../../../lib/audit/index.ts";
import { errnoOf, errorText, ProxyAuditError, ProxyAuditErrorCode } from "./errors.ts";

export interface NumericIdentity {
  ino: bigint;
  dev: bigint;
}

export function identityOf(stats: BigIntStats): FileIdentity {
  return { inode: stats.ino.toString(), device: stats.dev.toString() };
}

/** What is missing under the log dir, in the words of spec §7 ("Audit log compromised - missing: …"). */
export function missingReason(logDir: string, path: string): string {
  const missing: string[] = [];
  for (const dir of ["audit", "system"]) if (!existsSync(logFilePath(logDir, dir))) missing.push(`${dir}/`);
  for (const file of PROTECTED_LOG_FILES) if (!existsSync(logFilePath(logDir, file.fileKey))) missing.push(file.fileKey);
  return missing.length > 0 ? `Audit log compromised - missing: ${missing.join(", ")}` : `Audit log file deleted: ${path}`;
}

/**
 * Throws ProxyAuditError unless `path` is still the regular file with identity `expected`.
 * `fileKey` and `logDir` only shape the message.
 */
export function checkPathIdentity(path: string, expected: NumericIdentity, fileKey: string, logDir: string): void {
  let stats: BigIntStats | undefined;
  try {
    stats = statSync(path, { bigint: true, throwIfNoEntry: false });
  } catch (error) {
    const code = errnoOf(error);
    if (code === "ENOTDIR") throw new ProxyAuditError(ProxyAuditErrorCode.FileMissing, missingReason(logDir, path), { fileKey });
    throw new ProxyAuditError(ProxyAuditErrorCode.FileInaccessible, `Audit log file inaccessible: ${path}: ${errorText(error)}`, { fileKey, cause: error });
  }
  if (stats === undefined) throw new ProxyAuditError(ProxyAuditErrorCode.FileMissing, missingReason(logDir, path), { fileKey });
  if (stats.ino !== expected.ino || stats.dev !== expected.dev || !stats.isFile()) {
    throw new ProxyAuditError(
      ProxyAuditErrorCode.FileReplaced,
      `Audit log file replaced or moved: ${path} is now ${stats.isFile() ? "another file" : stats.isDirectory() ? "a directory" : "not a regular file"} (inode ${stats.ino} on device ${stats.dev}; the writer opened inode ${expected.ino} on device ${expected.dev})`,
      { fileKey },
    );
  }
}
