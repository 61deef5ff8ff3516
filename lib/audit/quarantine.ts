// A torn last line (a write cut short by a crash) is moved to a sidecar and cut from the log, never
// dropped silently (spec audit.md §15.16, §16.4). The caller holds the writer lock, raises the
// incident, and re-verifies afterwards.

import { closeSync, constants, fstatSync, fsyncSync, ftruncateSync, openSync, readSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { AuditError, AuditErrorCode, describeError, errnoCode } from "./errors.ts";
import { fsyncDirectory } from "./fsync-dir.ts";
import type { TornTail } from "./verify-types.ts";

export const QUARANTINE_FILE_MODE = 0o600;

export interface QuarantineResult {
  /** Where the torn bytes were saved. */
  sidecarPath: string;
  bytes: number;
  /** The log's size after the cut (the torn line's offset). */
  truncatedTo: number;
}

function stamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, "").replace(".", "");
}

function createSidecar(path: string, date: Date): { fd: number; sidecarPath: string } {
  const base = `${path}.torn.${stamp(date)}`;
  for (let n = 0; n < 100; n++) {
    const candidate = n === 0 ? base : `${base}-${n}`;
    try {
      return { fd: openSync(candidate, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, QUARANTINE_FILE_MODE), sidecarPath: candidate };
    } catch (error) {
      if (errnoCode(error) !== "EEXIST") throw error;
    }
  }
  throw new AuditError(AuditErrorCode.WriteFailed, `Cannot find a free quarantine file name next to ${path}`, { path });
}

/**
 * Copies the torn bytes to `<path>.torn.<UTC stamp>` (0600, synced), then truncates the log to the
 * torn line's offset and syncs it. Refuses (AuditError WriteFailed) when the file no longer ends
 * with exactly that fragment, e.g. because it changed since it was verified.
 */
export function quarantineTornTail(path: string, torn: TornTail, now: Date = new Date()): QuarantineResult {
  let fd: number | undefined;
  try {
    fd = openSync(path, constants.O_RDWR | (constants.O_NOFOLLOW ?? 0));
    const size = Number(fstatSync(fd, { bigint: true }).size);
    if (size !== torn.offset + torn.bytes) {
      throw new AuditError(
        AuditErrorCode.WriteFailed,
        `${path} is ${size} bytes, but the torn line was found at offset ${torn.offset} with ${torn.bytes} bytes: the file changed since it was verified`,
        { path, hint: "Verify the file again and quarantine what that verification reports." },
      );
    }
    const fragment = Buffer.alloc(torn.bytes);
    let read = 0;
    while (read < torn.bytes) {
      const n = readSync(fd, fragment, read, torn.bytes - read, torn.offset + read);
      if (n === 0) break;
      read += n;
    }
    if (read !== torn.bytes || fragment.includes(0x0a)) {
      throw new AuditError(AuditErrorCode.WriteFailed, `The last ${torn.bytes} bytes of ${path} are not a torn line any more`, { path });
    }
    const { fd: sidecar, sidecarPath } = createSidecar(path, now);
    try {
      let written = 0;
      while (written < fragment.length) written += writeSync(sidecar, fragment, written, fragment.length - written);
      fsyncSync(sidecar);
    } finally {
      closeSync(sidecar);
    }
    fsyncDirectory(dirname(path));
    ftruncateSync(fd, torn.offset);
    fsyncSync(fd);
    return { sidecarPath, bytes: torn.bytes, truncatedTo: torn.offset };
  } catch (error) {
    if (error instanceof AuditError) throw error;
    throw new AuditError(AuditErrorCode.WriteFailed, `Cannot quarantine the torn last line of ${path}: ${describeError(error)}`, { path, cause: error });
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
