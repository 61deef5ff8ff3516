// system/config_history.jsonl and system/policy_history.jsonl (spec audit.md §4.5,
// cli-config-auth.md §2.4): versions v1, v2, … of config.json and policy.json, each with the
// SHA-256 of the file's bytes. The current version and checksum come from the file's last record,
// read back to the real start of its line however long its snapshot is. A file whose bytes differ
// from the last recorded checksum was changed outside the proxy: `manual_change_detected` (next
// version, with a snapshot stripped of secrets) comes before `*_loaded` (same version).
import { closeSync, openSync, readSync } from "node:fs";
import {
  FIRST_VERSION,
  UNKNOWN_CHECKSUM,
  buildConfigHistoryRecord,
  buildPolicyHistoryRecord,
  type ConfigChangeType,
  type ConfigHistoryEvent,
  type PolicyChangeType,
  type PolicyHistoryEvent,
  fileChecksum,
  historySnapshot,
  type JsonObject,
  nextVersion,
  type VerifyFileResult,
} from "../../../lib/audit/index.ts";

export type HistoryKind = "config" | "policy";
export type HistorySource = "proxy_startup" | "hot_reload";

export interface LastHistoryRecord {
  version: string | null;
  checksum: string | null;
}

/** The last chained record of a verified history file, or null when it has none. */
export function readLastHistoryRecord(kind: HistoryKind, result: VerifyFileResult): LastHistoryRecord | null {
  if (result.entries === 0 || result.lastEntryOffset < 0) return null;
  const length = result.verifiedSize - result.lastEntryOffset;
  const bytes = Buffer.alloc(length);
  const fd = openSync(result.path, "r");
  try {
    let read = 0;
    while (read < length) {
      const n = readSync(fd, bytes, read, length - read, result.lastEntryOffset + read);
      if (n === 0) break;
      read += n;
    }
  } finally {
    closeSync(fd);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString("utf8"));
  } catch {
    return { version: null, checksum: null };
  }
  if (typeof parsed !== "object" || parsed === null) return { version: null, checksum: null };
  const record = parsed as Record<string, unknown>;
  const version = record[`${kind}_version`];
  const checksum = record.checksum;
  return { version: typeof version === "string" ? version : null, checksum: typeof checksum === "string" ? checksum : null };
}

export interface LoadOutcome {
  version: string;
  /** The file was first seen (v1 recorded with its snapshot). */
  created: boolean;
  /** The file differs from the last recorded version. */
  manualChange: boolean;
}

const LABEL: Record<HistoryKind, string> = { config: "Configuration", policy: "Policy" };

/** The version history of one file; `write` appends a record to its chained log (throws on failure). */
export class VersionHistory {
  private readonly kind: HistoryKind;
  private readonly write: (record: JsonObject) => void;
  private readonly policyPath: string | undefined;
  private last: LastHistoryRecord | null;

  constructor(kind: HistoryKind, last: LastHistoryRecord | null, write: (record: JsonObject) => void, options: { policyPath?: string } = {}) {
    this.kind = kind;
    this.last = last;
    this.write = write;
    this.policyPath = options.policyPath;
  }

  /** The version in force: the last recorded one, "unknown" before any. */
  get version(): string {
    return this.last?.version ?? "unknown";
  }

  /** Records that the file (these bytes) is loaded; writes only what changed on a reload. */
  recordLoad(bytes: Uint8Array, source: HistorySource): LoadOutcome {
    const checksum = fileChecksum(bytes);
    const last = this.last;
    if (source === "hot_reload" && last?.checksum === checksum && last.version !== null) {
      return { version: last.version, created: false, manualChange: false };
    }
    let version: string;
    let created = false;
    let manualChange = false;
    if (last === null || last.version === null) {
      version = FIRST_VERSION;
      created = true;
      this.append({
        event: this.kind === "config" ? "config_created" : "policy_created",
        message: `${LABEL[this.kind]} first recorded by the proxy`,
        version,
        change_type: this.kind === "config" ? "initial_load" : "initial_creation",
        source,
        checksum,
        snapshot: snapshotOf(bytes),
      });
    } else if (last.checksum !== checksum) {
      version = nextVersion(last.version);
      manualChange = true;
      this.append({
        event: "manual_change_detected",
        message: `${LABEL[this.kind]} file changed outside the proxy since version ${last.version ?? "unknown"}`,
        version,
        previous_version: last.version ?? undefined,
        change_type: "manual_edit",
        source: "file_change",
        checksum,
        snapshot: snapshotOf(bytes),
      });
    } else {
      version = last.version;
    }
    this.append({
      event: this.kind === "config" ? "config_loaded" : "policy_loaded",
      message: `${LABEL[this.kind]} ${version} loaded (${source === "hot_reload" ? "reload" : "proxy start"})`,
      version,
      change_type: "startup_load",
      source,
      checksum,
    });
    this.last = { version, checksum };
    return { version, created, manualChange };
  }

  /** Records a file that failed to load; the version in force does not change. */
  recordValidationFailure(bytes: Uint8Array | null, errorType: string, errorMessage: string, source: HistorySource): void {
    this.append({
      event: this.kind === "config" ? "config_validation_failed" : "policy_validation_failed",
      message: `${LABEL[this.kind]} file rejected; ${this.version} stays in force`,
      version: this.version,
      change_type: "validation_error",
      source,
      checksum: bytes === null ? UNKNOWN_CHECKSUM : fileChecksum(bytes),
      error_type: errorType,
      error_message: errorMessage,
    });
    // As after a restart, where this record is the last line: the next good file is a change.
    if (this.last !== null && bytes !== null) this.last = { version: this.last.version, checksum: fileChecksum(bytes) };
  }

  private append(fields: HistoryFields): void {
    const { version, event, change_type, ...rest } = fields;
    // The version right after the event, so a reader sees what changed first.
    const record =
      this.kind === "config"
        ? buildConfigHistoryRecord({ event: event as ConfigHistoryEvent, config_version: version, change_type: change_type as ConfigChangeType, ...rest, component: "proxy" })
        : buildPolicyHistoryRecord({
            event: event as PolicyHistoryEvent,
            policy_version: version,
            change_type: change_type as PolicyChangeType,
            ...rest,
            component: "proxy",
            ...(this.policyPath === undefined ? {} : { policy_path: this.policyPath }),
          });
    this.write(record as unknown as JsonObject);
  }
}

/** One history record before its kind's version field is named. Events and change types are
 * those of spec §4.5 for the kind at hand (the two kinds share the manual-change event). */
interface HistoryFields {
  event: `${HistoryKind}_created` | "manual_change_detected" | `${HistoryKind}_loaded` | `${HistoryKind}_validation_failed`;
  message: string;
  version: string;
  previous_version?: string;
  change_type: "initial_load" | "initial_creation" | "manual_edit" | "startup_load" | "validation_error";
  source: string;
  checksum: string;
  snapshot?: string;
  error_type?: string;
  error_message?: string;
}

function snapshotOf(bytes: Uint8Array): string | undefined {
  try {
    return historySnapshot(JSON.parse(Buffer.from(bytes).toString("utf8")));
  } catch {
    return undefined;
  }
}
