// system/system.jsonl: the proxy's WARNING+ events (spec audit.md §4.4). [new] Every record carries
// `level`, so the API's level filter works. Extra keys are allowed, reserved chain keys are not.

import { assertNoReservedKeys } from "../chain.ts";
import type { JsonObject } from "../canonical-json.ts";
import { AuditError, AuditErrorCode } from "../errors.ts";
import { type SystemLevel, withoutNulls } from "./common.ts";

export interface SystemRecord {
  event: string;
  level: SystemLevel;
  message?: string;
  component?: string;
  session_id?: string;
  request_id?: string;
  backend_id?: string;
  config_version?: string;
  error_type?: string;
  error_message?: string;
  stacktrace?: string;
  details?: Record<string, unknown>;
  [extra: string]: unknown;
}

export type SystemFields = Omit<SystemRecord, "event" | "level">;

const SYSTEM_LEVELS = new Set<string>(["WARNING", "ERROR", "CRITICAL"]);

export function buildSystemRecord(level: SystemLevel, event: string, fields: SystemFields = {}): SystemRecord {
  if (!SYSTEM_LEVELS.has(level)) {
    throw new AuditError(AuditErrorCode.InvalidRecord, `System log level must be WARNING, ERROR or CRITICAL, not ${JSON.stringify(level)}`);
  }
  if (event === "") throw new AuditError(AuditErrorCode.InvalidRecord, "A system log record needs a non-empty event");
  assertNoReservedKeys(fields as JsonObject);
  if ("event" in fields || "level" in fields) throw new AuditError(AuditErrorCode.InvalidRecord, "System record fields must not override event or level");
  return withoutNulls<SystemRecord>({ event, level, ...fields });
}
