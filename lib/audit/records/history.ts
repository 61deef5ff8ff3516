// system/config_history.jsonl and system/policy_history.jsonl (spec audit.md §4.5): versions v1,
// v2, … with a checksum of the file and a sanitised snapshot.

import { sha256Hex } from "../hash.ts";
import { withoutNulls } from "./common.ts";
import { stripSnapshotSecrets } from "./redaction.ts";

export type ConfigHistoryEvent = "config_created" | "config_updated" | "config_loaded" | "manual_change_detected" | "config_validation_failed";
export type PolicyHistoryEvent = "policy_created" | "policy_loaded" | "manual_change_detected" | "policy_validation_failed";
export type ConfigChangeType = "initial_load" | "cli_update" | "startup_load" | "manual_edit" | "validation_error";
export type PolicyChangeType = "initial_creation" | "startup_load" | "manual_edit" | "validation_error";

interface HistoryCommon {
  message?: string;
  previous_version?: string;
  component?: string;
  source?: string;
  /** `sha256:<hex of the file bytes>`, or `sha256:unknown` when unreadable. */
  checksum: string;
  snapshot_format: "json";
  /** The file's JSON, secrets stripped, indented by 2. */
  snapshot?: string;
  error_type?: string;
  error_message?: string;
}

export interface ConfigHistoryRecord extends HistoryCommon {
  event: ConfigHistoryEvent;
  config_version: string;
  change_type: ConfigChangeType;
  /** config_updated only: dotted path → old and new value. */
  changes?: Record<string, { old: unknown; new: unknown }>;
}

export interface PolicyHistoryRecord extends HistoryCommon {
  event: PolicyHistoryEvent;
  policy_version: string;
  change_type: PolicyChangeType;
  policy_path?: string;
}

export const FIRST_VERSION = "v1";
export const UNKNOWN_CHECKSUM = "sha256:unknown";

/** The version after `previous` (v3 → v4); v1 when it is absent or not of the form vN. */
export function nextVersion(previous: string | null | undefined): string {
  const match = previous === null || previous === undefined ? null : /^v([1-9][0-9]*)$/.exec(previous);
  return match === null ? FIRST_VERSION : `v${Number(match[1]) + 1}`;
}

/** Numeric order of versions (v2 before v10), for listing them. */
export function compareVersions(a: string, b: string): number {
  const n = (v: string): number => {
    const m = /^v([0-9]+)$/.exec(v);
    return m === null ? Number.NaN : Number(m[1]);
  };
  const x = n(a);
  const y = n(b);
  if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) === Number.isNaN(y) ? a.localeCompare(b) : Number.isNaN(x) ? 1 : -1;
  return x - y;
}

export function fileChecksum(bytes: Uint8Array | string): string {
  return `sha256:${sha256Hex(bytes)}`;
}

/** Snapshot text of a config or policy document: secrets stripped at any depth, indent 2. */
export function historySnapshot(document: unknown): string {
  return JSON.stringify(stripSnapshotSecrets(document), null, 2);
}

export function buildConfigHistoryRecord(record: Omit<ConfigHistoryRecord, "snapshot_format"> & { snapshot_format?: "json" }): ConfigHistoryRecord {
  return withoutNulls<ConfigHistoryRecord>({ ...record, snapshot_format: "json" });
}

export function buildPolicyHistoryRecord(record: Omit<PolicyHistoryRecord, "snapshot_format"> & { snapshot_format?: "json" }): PolicyHistoryRecord {
  return withoutNulls<PolicyHistoryRecord>({ ...record, snapshot_format: "json" });
}
