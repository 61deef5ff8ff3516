// The relay and the backends never print: every human-readable line goes through an injected
// logger, so stdout stays reserved for JSON-RPC and the `start` command decides where logs land
// (stderr, the proxy's system log, or both).

export type LogFields = Readonly<Record<string, unknown>>;

export interface ProxyLogger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

export type LogLevel = "debug" | "info" | "warn" | "error";

const LEVEL_RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export interface LineWriter {
  write(text: string): unknown;
}

/** One line per entry on stderr (or any writer): `<level> <message> <fields as JSON>`. */
export function createStderrLogger(
  options: { minLevel?: LogLevel; prefix?: string; writer?: LineWriter } = {},
): ProxyLogger {
  const min = LEVEL_RANK[options.minLevel ?? "info"];
  const writer = options.writer ?? process.stderr;
  const prefix = options.prefix ? `${options.prefix} ` : "";
  const emit = (level: LogLevel, message: string, fields?: LogFields): void => {
    if (LEVEL_RANK[level] < min) return;
    const tail = fields && Object.keys(fields).length > 0 ? ` ${safeJson(fields)}` : "";
    writer.write(`${prefix}${level}: ${message}${tail}\n`);
  };
  return {
    debug: (m, f) => emit("debug", m, f),
    info: (m, f) => emit("info", m, f),
    warn: (m, f) => emit("warn", m, f),
    error: (m, f) => emit("error", m, f),
  };
}

export interface LogEntry {
  level: LogLevel;
  message: string;
  fields: LogFields | undefined;
}

/** Keeps entries in memory: for tests and for callers that forward them elsewhere later. */
export function createMemoryLogger(): ProxyLogger & { readonly entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const push = (level: LogLevel) => (message: string, fields?: LogFields) => {
    entries.push({ level, message, fields });
  };
  return { entries, debug: push("debug"), info: push("info"), warn: push("warn"), error: push("error") };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_k, v: unknown) => (v instanceof Error ? v.message : v));
  } catch {
    return "[unserialisable fields]";
  }
}
