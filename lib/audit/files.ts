// Where a proxy's audit files live, relative to its log dir (PLD, spec audit.md §1–§2), and what
// each chained one records. Callers get the PLD from lib/paths (proxyLogDir).

import { join } from "node:path";

export type ProtectedLogName = "operations" | "decisions" | "auth" | "system" | "config_history" | "policy_history";

export interface ProtectedLogFile {
  name: ProtectedLogName;
  /** Path relative to the PLD with `/`, the key of its integrity state row. */
  fileKey: string;
  description: string;
  /** audit files get the write-time identity check (spec §7); system files do not. */
  identityCheckedOnWrite: boolean;
}

/** The six hash-chained files, in the order reports list them. */
export const PROTECTED_LOG_FILES: readonly ProtectedLogFile[] = Object.freeze([
  { name: "operations", fileKey: "audit/operations.jsonl", description: "MCP operations (one record per completed message)", identityCheckedOnWrite: true },
  { name: "decisions", fileKey: "audit/decisions.jsonl", description: "Policy decisions (allow, deny, human approval)", identityCheckedOnWrite: true },
  { name: "auth", fileKey: "audit/auth.jsonl", description: "Authentication: sessions, tokens, device checks", identityCheckedOnWrite: true },
  { name: "system", fileKey: "system/system.jsonl", description: "Proxy warnings and errors", identityCheckedOnWrite: false },
  { name: "config_history", fileKey: "system/config_history.jsonl", description: "Configuration versions and changes", identityCheckedOnWrite: false },
  { name: "policy_history", fileKey: "system/policy_history.jsonl", description: "Policy versions and changes", identityCheckedOnWrite: false },
]);

export const PROTECTED_LOG_NAMES: readonly ProtectedLogName[] = PROTECTED_LOG_FILES.map((f) => f.name);

export function protectedLogFile(name: ProtectedLogName): ProtectedLogFile {
  const file = PROTECTED_LOG_FILES.find((f) => f.name === name);
  if (file === undefined) throw new RangeError(`Unknown protected log "${String(name)}"`);
  return file;
}

/** Plain-append debug logs (DEBUG only, never chained). */
export const WIRE_LOG_FILE_KEYS = Object.freeze({ client: "debug/client_wire.jsonl", backend: "debug/backend_wire.jsonl" });

/** The integrity state database in the PLD (spec §6.5). */
export const INTEGRITY_STATE_DB_FILE = "state.db";
/** The original's JSON state, imported once into the database, then renamed. */
export const LEGACY_INTEGRITY_STATE_FILE = ".integrity_state";
export const LEGACY_INTEGRITY_STATE_MIGRATED_FILE = ".integrity_state.migrated";
export const SHUTDOWNS_FILE = "shutdowns.jsonl";
export const CRASH_BREADCRUMB_FILE = ".last_crash";

/** Absolute path of a file key (`audit/operations.jsonl`) inside a PLD. */
export function logFilePath(logDir: string, fileKey: string): string {
  return join(logDir, ...fileKey.split("/"));
}

export function integrityStatePath(logDir: string): string {
  return join(logDir, INTEGRITY_STATE_DB_FILE);
}
