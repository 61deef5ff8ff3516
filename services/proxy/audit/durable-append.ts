// Appends to the files that are not chained but must survive a crash: shutdowns.jsonl,
// emergency_audit.jsonl, the .last_crash breadcrumb. Each write opens the file anew (the log dir
// may be half gone when these are needed), is synced, and leaves the file 0600.
import { closeSync, constants, fchmodSync, fsyncSync, openSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { ensurePrivateDir } from "../../../lib/paths/index.ts";

const APPEND = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | (constants.O_NOFOLLOW ?? 0);
const REPLACE = constants.O_WRONLY | constants.O_TRUNC | constants.O_CREAT | (constants.O_NOFOLLOW ?? 0);

function writeAll(path: string, flags: number, text: string, createDir: boolean): void {
  if (createDir) ensurePrivateDir(dirname(path));
  const fd = openSync(path, flags, 0o600);
  try {
    fchmodSync(fd, 0o600);
    const bytes = Buffer.from(text, "utf8");
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Appends one JSON line and fsyncs. Throws the OS error. */
export function appendJsonLineDurably(path: string, record: unknown, options: { createDir?: boolean } = {}): void {
  writeAll(path, APPEND, `${JSON.stringify(record)}\n`, options.createDir ?? false);
}

/** Replaces the file's content and fsyncs. Throws the OS error. */
export function replaceFileDurably(path: string, text: string, options: { createDir?: boolean } = {}): void {
  writeAll(path, REPLACE, text, options.createDir ?? false);
}
