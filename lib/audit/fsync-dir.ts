// Makes a rename or file creation in `dir` durable. Some filesystems cannot sync a directory;
// then the operation has still happened, only its durability across a crash is weaker.
import { closeSync, fsyncSync, openSync } from "node:fs";

export function fsyncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, "r");
    fsyncSync(fd);
  } catch {
    // Not supported here: nothing more can be done.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
