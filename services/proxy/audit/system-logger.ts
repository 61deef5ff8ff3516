// The proxy's logger once the audit writer is up: every line still goes to stderr as before, and
// WARNING and above also become chained records of system/system.jsonl (spec audit.md §4.4), with
// `level` always set. Lifecycle events (start, stop) are recorded there too, at level INFO.
import { RESERVED_KEYS, type JsonObject, type LogLevel, type SystemLevel, buildSystemRecord } from "../../../lib/audit/index.ts";
import type { LogFields, ProxyLogger } from "../relay/log.ts";

/** Appends one record to system.jsonl; false when it could not (the writer then handles it). */
export type SystemSink = (record: JsonObject) => boolean;

const OWN_KEYS = new Set([...RESERVED_KEYS, "event", "level", "message"]);

/** Log fields as JSON a record can hold: Errors as their message, nothing JSON cannot represent. */
export function recordDetails(fields: LogFields | undefined): JsonObject | undefined {
  if (fields === undefined) return undefined;
  const details: Record<string, unknown> = {};
  let any = false;
  for (const [key, value] of Object.entries(fields)) {
    if (OWN_KEYS.has(key) || value === undefined) continue;
    details[key] = value;
    any = true;
  }
  if (!any) return undefined;
  try {
    const text = JSON.stringify(details, (_key, value: unknown) => (value instanceof Error ? value.message : typeof value === "bigint" ? value.toString() : value));
    return JSON.parse(text) as JsonObject;
  } catch {
    return { unserialisable_fields: Object.keys(details).join(",") };
  }
}

function eventOf(fields: LogFields | undefined, fallback: string): string {
  const event = fields?.event;
  return typeof event === "string" && event !== "" ? event : fallback;
}

/** A system record: an event with its level and message, the log fields under `details`. */
export function systemRecord(level: SystemLevel, event: string, message: string, fields?: LogFields): JsonObject {
  const details = recordDetails(fields);
  return buildSystemRecord(level, event, details === undefined ? { message, component: "proxy" } : { message, component: "proxy", details }) as JsonObject;
}

/** Lifecycle records are INFO, which the WARNING+ builder refuses on purpose; same shape otherwise. */
export function lifecycleRecord(event: string, message: string, fields?: LogFields): JsonObject {
  const details = recordDetails(fields);
  const level: LogLevel = "INFO";
  return details === undefined ? { event, level, message, component: "proxy" } : { event, level, message, component: "proxy", details };
}

export function createAuditedLogger(stderr: ProxyLogger, sink: SystemSink): ProxyLogger {
  // A failing system write must not log about itself forever.
  let writing = false;
  const record = (level: SystemLevel, fallbackEvent: string, message: string, fields?: LogFields): void => {
    if (writing) return;
    writing = true;
    try {
      sink(systemRecord(level, eventOf(fields, fallbackEvent), message, fields));
    } catch {
      // The sink reports its own failures; the line is on stderr already.
    } finally {
      writing = false;
    }
  };
  return {
    debug: (m, f) => stderr.debug(m, f),
    info: (m, f) => stderr.info(m, f),
    warn: (m, f) => {
      stderr.warn(m, f);
      record("WARNING", "proxy_warning", m, f);
    },
    error: (m, f) => {
      stderr.error(m, f);
      record("ERROR", "proxy_error", m, f);
    },
  };
}
