// The manager's own log (spec manager.md §2): INFO and above on stderr for whoever runs it in a
// terminal, WARNING and above as JSON lines in <log_dir>/mcp-acp/manager/system.jsonl so a
// detached manager's problems are still on record.
import { appendFileSync } from "node:fs";
import { dirname } from "node:path";
import { ensurePrivateDir } from "../../../lib/paths/index.ts";

export type ManagerLogLevel = "DEBUG" | "INFO" | "WARNING" | "ERROR";
export type ManagerLogFields = Readonly<Record<string, unknown>>;

/** `event` is a stable snake_case name (e.g. "proxy_replaced"); `message` is for humans. */
export interface ManagerLog {
  debug(event: string, message: string, fields?: ManagerLogFields): void;
  info(event: string, message: string, fields?: ManagerLogFields): void;
  warn(event: string, message: string, fields?: ManagerLogFields): void;
  error(event: string, message: string, fields?: ManagerLogFields): void;
}

export interface LineWriter {
  write(text: string): unknown;
}

const RANK: Record<ManagerLogLevel, number> = { DEBUG: 0, INFO: 1, WARNING: 2, ERROR: 3 };

export interface ManagerLogOptions {
  /** JSON-lines file for WARNING+; null = no file. */
  file: string | null;
  /** Where INFO+ lines go; null = nowhere (a detached manager has no terminal). Default stderr. */
  stderr?: LineWriter | null;
  /** Lowest level shown on stderr. Default INFO. */
  stderrLevel?: ManagerLogLevel;
}

function json(value: unknown): string {
  try {
    return JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v instanceof Error ? v.message : v));
  } catch {
    return JSON.stringify(String(value));
  }
}

export function createManagerLog(options: ManagerLogOptions): ManagerLog {
  const stderr = options.stderr === undefined ? process.stderr : options.stderr;
  const stderrRank = RANK[options.stderrLevel ?? "INFO"];
  let dirReady = false;
  let fileBroken = false;

  const toFile = (line: string) => {
    if (options.file === null || fileBroken) return;
    try {
      if (!dirReady) {
        ensurePrivateDir(dirname(options.file));
        dirReady = true;
      }
      appendFileSync(options.file, line, { mode: 0o600 });
    } catch (error) {
      // Say it once on stderr; a broken log file must not take the manager down.
      fileBroken = true;
      stderr?.write(`manager ERROR: cannot write ${options.file}: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  };

  const emit = (level: ManagerLogLevel, event: string, message: string, fields?: ManagerLogFields) => {
    const rank = RANK[level];
    if (rank >= RANK.WARNING) toFile(`${json({ time: new Date().toISOString(), level, event, message, ...fields })}\n`);
    if (stderr !== null && rank >= stderrRank) {
      const tail = fields !== undefined && Object.keys(fields).length > 0 ? ` ${json(fields)}` : "";
      stderr.write(`manager ${level}: ${message}${tail}\n`);
    }
  };

  return {
    debug: (event, message, fields) => emit("DEBUG", event, message, fields),
    info: (event, message, fields) => emit("INFO", event, message, fields),
    warn: (event, message, fields) => emit("WARNING", event, message, fields),
    error: (event, message, fields) => emit("ERROR", event, message, fields),
  };
}

export interface MemoryLogEntry {
  level: ManagerLogLevel;
  event: string;
  message: string;
  fields: ManagerLogFields | undefined;
}

/** Keeps entries in memory, for tests. */
export function createMemoryManagerLog(): ManagerLog & { readonly entries: MemoryLogEntry[] } {
  const entries: MemoryLogEntry[] = [];
  const push = (level: ManagerLogLevel) => (event: string, message: string, fields?: ManagerLogFields) => {
    entries.push({ level, event, message, fields });
  };
  return { entries, debug: push("DEBUG"), info: push("INFO"), warn: push("WARNING"), error: push("ERROR") };
}
