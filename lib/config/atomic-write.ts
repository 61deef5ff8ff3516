import { randomBytes } from "node:crypto";
import { closeSync, fchmodSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { ConfigError, ConfigErrorCode, describeOsError, errnoCode } from "./errors.ts";

/** Mode of every file mcp-acp writes: readable and writable by the owner only. */
export const PRIVATE_FILE_MODE = 0o600;

// Filesystems that cannot fsync a directory report one of these; the rename itself has succeeded.
const DIR_FSYNC_UNSUPPORTED = new Set(["EINVAL", "ENOTSUP", "EISDIR", "EPERM", "EACCES"]);

function writeAll(fd: number, bytes: Uint8Array): void {
  let offset = 0;
  while (offset < bytes.length) {
    offset += writeSync(fd, bytes, offset, bytes.length - offset);
  }
}

function fsyncDirectory(dir: string): void {
  if (process.platform === "win32") return;
  let fd: number | undefined;
  try {
    fd = openSync(dir, "r");
    fsyncSync(fd);
  } catch (error) {
    if (!DIR_FSYNC_UNSUPPORTED.has(errnoCode(error) ?? "")) throw error;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Replaces `path` so that readers see either the old or the new content, never a mix, even after
 * a crash: a temp file in the same directory (created with `mode`, exclusive), written, fsynced,
 * renamed over the target, then the directory fsynced. On any failure the temp file is removed,
 * the old file stays as it was, and ConfigError(WriteFailed) names the path and the OS error.
 * The directory must exist (see ensurePrivateDir). A symlink at `path` is replaced, not followed.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, mode: number = PRIVATE_FILE_MODE): void {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
  let fd: number | undefined;
  let renamed = false;
  try {
    fd = openSync(temp, "wx", mode);
    fchmodSync(fd, mode); // the umask may have narrowed or (for unusual masks) not applied the mode
    writeAll(fd, bytes);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temp, path);
    renamed = true;
    fsyncDirectory(dir);
  } catch (error) {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        // already failing; the original error is the one to report
      }
    }
    if (!renamed) {
      try {
        unlinkSync(temp);
      } catch {
        // ENOENT when the temp file was never created
      }
    }
    throw new ConfigError(ConfigErrorCode.WriteFailed, `Failed to write ${path}: ${describeOsError(error)}`, {
      path,
      hint: renamed
        ? "The new content is in place but could not be flushed to disk; check the disk for errors."
        : "The previous file (if any) was left unchanged. Check that the directory exists, is writable and the disk is not full.",
      cause: error,
    });
  }
}
