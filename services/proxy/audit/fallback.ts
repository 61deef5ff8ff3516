// The fallback chain for a record its own log refused (spec audit.md §7): the system log as a
// CRITICAL `audit_fallback` record, else the global emergency_audit.jsonl in the config dir (which
// survives the deletion of the log dir), else stderr. A record is never dropped silently.
import {
  buildEmergencyAuditRecord,
  formatAuditTime,
  type EmergencyEventType,
  type JsonObject,
  type SystemFields,
} from "../../../lib/audit/index.ts";
import type { LineWriter } from "../relay/log.ts";
import { appendJsonLineDurably } from "./durable-append.ts";
import { errorText } from "./errors.ts";

export type FallbackTarget = "system" | "emergency" | "stderr";

export const SYSTEM_FILE_KEY = "system/system.jsonl";

export interface FallbackOptions {
  emergencyPath: string;
  proxyName: string;
  proxyId: string;
  stderr: LineWriter;
}

/** Writes a CRITICAL record to the system log without any fallback of its own; false when it cannot. */
export type SystemLogAttempt = (fields: SystemFields) => boolean;

export class AuditFallback {
  private readonly options: FallbackOptions;
  private systemLog: SystemLogAttempt = () => false;

  constructor(options: FallbackOptions) {
    this.options = options;
  }

  /** Connects the system log once the writer exists. */
  useSystemLog(attempt: SystemLogAttempt): void {
    this.systemLog = attempt;
  }

  /** A record with no fallback of its own (a system log line): printed on stderr, never dropped silently. */
  lost(sourceFile: string, record: JsonObject, failureReason: string): FallbackTarget {
    this.options.stderr.write(`CRITICAL: record for ${sourceFile} not written (${failureReason}): ${JSON.stringify(record)}\n`);
    return "stderr";
  }

  /** Saves `record`, which `sourceFile` could not take because of `failureReason`; says where it went. */
  record(eventType: EmergencyEventType, sourceFile: string, record: JsonObject, failureReason: string): FallbackTarget {
    const { stderr } = this.options;
    if (sourceFile !== SYSTEM_FILE_KEY) {
      const saved = this.systemLog({
        message: `An audit record for ${sourceFile} could not be written there (${failureReason}); it is kept here`,
        source_file: sourceFile,
        failure_reason: failureReason,
        operation: record,
      });
      if (saved) {
        stderr.write(`CRITICAL: audit record for ${sourceFile} not written (${failureReason}); kept in ${SYSTEM_FILE_KEY} as audit_fallback\n`);
        return "system";
      }
    }
    const emergency = buildEmergencyAuditRecord({
      time: formatAuditTime(),
      eventType,
      failureReason,
      sourceFile,
      record,
      proxyName: this.options.proxyName,
      proxyId: this.options.proxyId,
    });
    try {
      appendJsonLineDurably(this.options.emergencyPath, emergency, { createDir: true });
      stderr.write(`CRITICAL: audit record for ${sourceFile} not written (${failureReason}); kept in ${this.options.emergencyPath}\n`);
      return "emergency";
    } catch (error) {
      stderr.write(
        `CRITICAL: audit record for ${sourceFile} not written (${failureReason}), and ${this.options.emergencyPath} failed too (${errorText(error)}). The record: ${JSON.stringify(emergency)}\n`,
      );
      return "stderr";
    }
  }
}
