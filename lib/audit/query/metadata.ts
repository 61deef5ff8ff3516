// What logs a proxy has (spec audit.md §11 metadata): per folder, each file with its existence,
// size and backups; whether debug logging is on; and the policy and config versions seen in the
// history logs, newest first in numeric order (the original sorted them as text).

import { open } from "node:fs/promises";
import { errnoCode } from "../errors.ts";
import { logFilePath } from "../files.ts";
import { compareVersions } from "../records/history.ts";
import { scanLinesBackward } from "./backward-reader.ts";
import { listLogBackups, type LogBackup } from "./backups.ts";
import { READ_WINDOW_BYTES } from "./constants.ts";
import { countLogLines, logFileStats } from "./file-stats.ts";
import { LOG_TYPES, type LogFolderName, type LogType } from "./log-types.ts";

export interface LogFileInfo {
  type: LogType;
  fileKey: string;
  description: string;
  path: string;
  exists: boolean;
  sizeBytes: number | null;
  /** Lines with content; only when asked for (it reads the whole file), else null. */
  entryCount: number | null;
  backups: LogBackup[];
}

export interface LogFolder {
  name: LogFolderName;
  files: LogFileInfo[];
}

export interface LogMetadata {
  logDir: string;
  folders: LogFolder[];
  debugEnabled: boolean;
  availablePolicyVersions: string[];
  availableConfigVersions: string[];
}

export interface LogMetadataOptions {
  /** log_level is DEBUG: the wire logs are expected. */
  debugEnabled: boolean;
  /** Count each file's entries (reads every file in full, in chunks). */
  countEntries?: boolean;
}

/** Distinct values of `field` in the newest 10 MiB of a history log, newest version first. */
export async function historyVersions(path: string, field: "policy_version" | "config_version"): Promise<string[]> {
  let handle;
  try {
    handle = await open(path, "r");
  } catch (error) {
    if (errnoCode(error) === "ENOENT") return [];
    throw error;
  }
  const seen = new Set<string>();
  try {
    const size = (await handle.stat()).size;
    await scanLinesBackward(handle, size, (line) => {
      if (size - line.offset > READ_WINDOW_BYTES) return false;
      try {
        const record: unknown = JSON.parse(line.bytes.toString("utf8"));
        const value = typeof record === "object" && record !== null ? (record as Record<string, unknown>)[field] : undefined;
        if (typeof value === "string" && value !== "" && value !== "unknown") seen.add(value);
      } catch {
        // not a record: skipped
      }
      return true;
    });
  } finally {
    await handle.close();
  }
  return [...seen].sort((a, b) => compareVersions(b, a));
}

export async function readLogMetadata(logDir: string, options: LogMetadataOptions): Promise<LogMetadata> {
  const folders: LogFolder[] = [];
  for (const info of LOG_TYPES) {
    const path = logFilePath(logDir, info.fileKey);
    const stats = await logFileStats(path);
    const file: LogFileInfo = {
      type: info.type,
      fileKey: info.fileKey,
      description: info.description,
      path,
      exists: stats.exists,
      sizeBytes: stats.sizeBytes,
      entryCount: options.countEntries === true && stats.exists ? await countLogLines(path) : null,
      backups: await listLogBackups(path),
    };
    const folder = folders.find((f) => f.name === info.folder);
    if (folder === undefined) folders.push({ name: info.folder, files: [file] });
    else folder.files.push(file);
  }
  return {
    logDir,
    folders,
    debugEnabled: options.debugEnabled,
    availablePolicyVersions: await historyVersions(logFilePath(logDir, "system/policy_history.jsonl"), "policy_version"),
    availableConfigVersions: await historyVersions(logFilePath(logDir, "system/config_history.jsonl"), "config_version"),
  };
}
