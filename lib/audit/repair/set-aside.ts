// Moving a broken file out of the way without ever overwriting an earlier backup: the backup name
// is reserved with O_EXCL first (adding -1, -2, … within the same second), then the file is
// renamed onto the reserved name. The fresh file takes the old name, 0600, created exclusively.
import { closeSync, constants, fsyncSync, openSync, renameSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { errnoCode } from "../errors.ts";
import { fsyncDirectory } from "../fsync-dir.ts";
import { backupFileName } from "../query/index.ts";

const PRIVATE_FILE_MODE = 0o600;
const MAX_NAME_TRIES = 1000;

/** Creates an empty file that did not exist; throws EEXIST otherwise. */
function createExclusive(path: string): void {
  const fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, PRIVATE_FILE_MODE);
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Reserves a free name from `nameFor(0)`, `nameFor(1)`, …; returns its path. */
function reserveName(dir: string, nameFor: (counter: number) => string): string {
  for (let counter = 0; counter < MAX_NAME_TRIES; counter++) {
    const candidate = join(dir, nameFor(counter));
    try {
      createExclusive(candidate);
      return candidate;
    } catch (error) {
      if (errnoCode(error) !== "EEXIST") throw error;
    }
  }
  throw new Error(`No free backup name in ${dir} after ${MAX_NAME_TRIES} tries`);
}

/**
 * Renames the log at `path` to `<stem>.broken.<UTC stamp>[-N].jsonl` beside it and creates a new
 * empty 0600 file in its place. Returns the backup's path. On failure the rename is undone.
 */
export function setAsideBrokenLog(path: string, now: Date): string {
  const dir = dirname(path);
  const backup = reserveName(dir, (counter) => backupFileName(basename(path), now, counter));
  try {
    renameSync(path, backup);
  } catch (error) {
    rmSync(backup, { force: true });
    throw error;
  }
  try {
    createExclusive(path);
  } catch (error) {
    renameSync(backup, path);
    throw error;
  }
  fsyncDirectory(dir);
  return backup;
}

function stamp(now: Date): string {
  return now.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
}

/**
 * Moves a corrupt state database (with its -wal and -shm files) to `state.db.corrupt.<stamp>[-N]`
 * so a new one can be built; returns the new path of the database file.
 */
export function setAsideStateDb(statePath: string, now: Date): string {
  const dir = dirname(statePath);
  const aside = reserveName(dir, (counter) => `${basename(statePath)}.corrupt.${stamp(now)}${counter > 0 ? `-${counter}` : ""}`);
  renameSync(statePath, aside);
  for (const suffix of ["-wal", "-shm"]) {
    try {
      renameSync(`${statePath}${suffix}`, `${aside}${suffix}`);
    } catch (error) {
      if (errnoCode(error) !== "ENOENT") throw error;
    }
  }
  fsyncDirectory(dir);
  return aside;
}
