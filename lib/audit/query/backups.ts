// Backups of broken chained files, set aside by `audit repair` beside the file as
// `<stem>.broken.<YYYY-MM-DD_HHMMSS>[-N].jsonl` (spec audit.md §2, §10). The stamp is UTC; the
// `-N` suffix keeps two resets in the same second apart (the original overwrote the first).
// Names written by the original (local time, no suffix) are listed too.

import { readdir, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { errnoCode } from "../errors.ts";

export const BACKUP_NAME_PATTERN = /^(.+)\.broken\.(\d{4})-(\d{2})-(\d{2})_(\d{2})(\d{2})(\d{2})(?:-(\d+))?\.jsonl$/;

export interface LogBackup {
  filename: string;
  path: string;
  sizeBytes: number;
  /** ISO instant from the name (read as UTC); null when the name's date is not a real one. */
  createdAt: string | null;
}

export interface BackupName {
  stem: string;
  createdAt: Date | null;
  /** 0 for the first backup of that second, then 1, 2, … */
  counter: number;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

/** `YYYY-MM-DD_HHMMSS` in UTC. */
export function backupStamp(date: Date): string {
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}_${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}`;
}

/** The stem of a log file name: `operations.jsonl` → `operations`. */
export function logStem(fileName: string): string {
  return fileName.endsWith(".jsonl") ? fileName.slice(0, -".jsonl".length) : fileName;
}

/** The backup name for `fileName` at `date`; counter > 0 adds `-N`. */
export function backupFileName(fileName: string, date: Date, counter = 0): string {
  return `${logStem(fileName)}.broken.${backupStamp(date)}${counter > 0 ? `-${counter}` : ""}.jsonl`;
}

export function parseBackupFileName(filename: string): BackupName | null {
  const m = BACKUP_NAME_PATTERN.exec(filename);
  if (m === null) return null;
  const [, stem, y, mo, d, h, mi, s, n] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  const date = new Date(ms);
  const real = date.getUTCDate() === Number(d) && date.getUTCHours() === Number(h) && date.getUTCMinutes() === Number(mi) && date.getUTCSeconds() === Number(s);
  return { stem: stem ?? "", createdAt: real ? date : null, counter: n === undefined ? 0 : Number(n) };
}

/** Backups of the log file at `path`, newest first. */
export async function listLogBackups(path: string): Promise<LogBackup[]> {
  const dir = dirname(path);
  const stem = logStem(basename(path));
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if (errnoCode(error) === "ENOENT" || errnoCode(error) === "ENOTDIR") return [];
    throw error;
  }
  const found: Array<LogBackup & { order: [number, number] }> = [];
  for (const filename of names) {
    const parsed = parseBackupFileName(filename);
    if (parsed === null || parsed.stem !== stem) continue;
    const full = join(dir, filename);
    let size: number;
    try {
      const s = await stat(full);
      if (!s.isFile()) continue;
      size = s.size;
    } catch {
      continue; // removed while listing
    }
    found.push({
      filename,
      path: full,
      sizeBytes: size,
      createdAt: parsed.createdAt?.toISOString() ?? null,
      order: [parsed.createdAt?.getTime() ?? 0, parsed.counter],
    });
  }
  found.sort((a, b) => b.order[0] - a.order[0] || b.order[1] - a.order[1]);
  return found.map(({ order: _order, ...backup }) => backup);
}
