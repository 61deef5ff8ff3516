import type { Checker, JsonObject } from "./checker.ts";

/** The only schema_version this build reads and writes. Files without the key are version 1. */
export const CURRENT_SCHEMA_VERSION = 1;

// Migrations from older versions will hook in here; newer versions are refused rather than
// half-understood, so a downgrade never silently drops settings.
export function readSchemaVersion(obj: JsonObject, c: Checker): typeof CURRENT_SCHEMA_VERSION {
  const value = obj.schema_version;
  if (value === undefined || value === CURRENT_SCHEMA_VERSION) return CURRENT_SCHEMA_VERSION;
  if (typeof value === "number" && Number.isInteger(value) && value > CURRENT_SCHEMA_VERSION) {
    c.add("schema_version", `version ${value} is newer than this mcp-acp understands (${CURRENT_SCHEMA_VERSION}); upgrade mcp-acp`);
  } else {
    c.add("schema_version", `must be ${CURRENT_SCHEMA_VERSION}`);
  }
  return CURRENT_SCHEMA_VERSION;
}
