// Facts about a log file for listings: size, and the number of lines with content (counted in 1 MiB
// chunks, so a multi-hundred-megabyte file is never held in memory).

import { open, stat } from "node:fs/promises";
import { errnoCode } from "../errors.ts";

const LF = 0x0a;
const COUNT_CHUNK_BYTES = 1 << 20;

export interface LogFileStats {
  exists: boolean;
  /** null when the file does not exist. */
  sizeBytes: number | null;
}

export async function logFileStats(path: string): Promise<LogFileStats> {
  try {
    const s = await stat(path);
    return { exists: s.isFile(), sizeBytes: s.isFile() ? s.size : null };
  } catch (error) {
    if (errnoCode(error) === "ENOENT" || errnoCode(error) === "ENOTDIR") return { exists: false, sizeBytes: null };
    throw error;
  }
}

/** Lines with content in the file (a final line without newline included; empty lines skipped). */
export async function countLogLines(path: string): Promise<number> {
  const handle = await open(path, "r");
  try {
    const buffer = Buffer.allocUnsafe(COUNT_CHUNK_BYTES);
    let count = 0;
    // Whether the line that continues into the next chunk has any byte yet.
    let pendingLine = false;
    let position = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
      if (bytesRead === 0) break;
      position += bytesRead;
      let start = 0;
      for (;;) {
        const newline = buffer.indexOf(LF, start);
        if (newline === -1 || newline >= bytesRead) break;
        if (newline > start || pendingLine) count++;
        pendingLine = false;
        start = newline + 1;
      }
      if (start < bytesRead) pendingLine = true;
    }
    return pendingLine ? count + 1 : count;
  } finally {
    await handle.close();
  }
}
