// One-time import of the original's `.integrity_state` JSON into state.db (spec audit.md §6.5):
// only when the table is empty; the old file is then renamed `.integrity_state.migrated`.

import { existsSync, readFileSync, renameSync } from "node:fs";
import { join } from "node:path";
import { AuditError, AuditErrorCode, describeError } from "./errors.ts";
import { LEGACY_INTEGRITY_STATE_FILE, LEGACY_INTEGRITY_STATE_MIGRATED_FILE } from "./files.ts";
import type { IntegrityStateInput, IntegrityStateStore } from "./state-store.ts";

function bad(path: string, what: string): AuditError {
  return new AuditError(AuditErrorCode.StateCorrupt, `The legacy integrity state ${path} ${what}`, {
    path,
    hint: "Verify the logs with `mcp-acp audit verify`, then rebuild the state with `mcp-acp audit repair`.",
  });
}

function asRecord(value: unknown): Record<string, unknown> | null {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

function decimal(value: unknown): string | null {
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return String(value);
  if (typeof value === "string" && /^(0|[1-9][0-9]*)$/.test(value)) return value;
  return null;
}

/** Parses the legacy file's rows; throws AuditError(StateCorrupt) like the original did. */
export function readLegacyIntegrityState(path: string): IntegrityStateInput[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw bad(path, `cannot be read as JSON (${describeError(error)})`);
  }
  const doc = asRecord(parsed);
  if (doc === null || doc.version !== 1) throw bad(path, "is not version 1");
  const files = asRecord(doc.files);
  if (files === null) throw bad(path, "has no files object");
  const rows: IntegrityStateInput[] = [];
  for (const [fileKey, value] of Object.entries(files)) {
    const entry = asRecord(value);
    const inode = decimal(entry?.last_inode);
    const device = decimal(entry?.last_dev);
    const sequence = entry?.last_sequence;
    const size = entry?.last_size;
    const lastHash = entry?.last_hash;
    if (entry === null || inode === null || device === null || typeof lastHash !== "string" || typeof sequence !== "number" || typeof size !== "number") {
      throw bad(path, `has an incomplete entry for ${fileKey}`);
    }
    // The original's last_size was taken before the append, so it is a lower bound; the offset of
    // the last line is unknown.
    rows.push({ fileKey, sequence, lastHash, inode, device, size, offset: 0 });
  }
  return rows;
}

/**
 * Imports `<logDir>/.integrity_state` when the store has no rows yet; returns how many rows were
 * imported (0 when there was nothing to do).
 */
export function importLegacyIntegrityState(store: IntegrityStateStore, logDir: string): number {
  const path = join(logDir, LEGACY_INTEGRITY_STATE_FILE);
  if (!existsSync(path) || store.list().length > 0) return 0;
  const rows = readLegacyIntegrityState(path);
  store.putMany(rows);
  renameSync(path, join(logDir, LEGACY_INTEGRITY_STATE_MIGRATED_FILE));
  return rows.length;
}
