// How verification results read in the integrity panel and its toasts (spec §5.2).
import {
  type AuditFileReport,
  AuditFileStatus,
  AuditOverallStatus,
  type AuditVerifyReport,
  IntegrityStateStatus,
} from "../../../../../lib/gen/mcpacp/common/v1/audit_pb.ts";
import { LogType } from "../../../../../lib/gen/mcpacp/common/v1/log_pb.ts";

export type IntegrityStatusKey = "verified" | "unprotected" | "broken" | "missing" | "empty" | "not-created" | "error" | "unknown";

export interface StatusView {
  key: IntegrityStatusKey;
  label: string;
  /** Text glyph shown beside the label so status is never colour-only. */
  icon: string;
  tone: "ok" | "warn" | "bad" | "muted";
}

export function statusView(status: AuditFileStatus): StatusView {
  switch (status) {
    case AuditFileStatus.PROTECTED:
      return { key: "verified", label: "Verified", icon: "✓", tone: "ok" };
    case AuditFileStatus.UNPROTECTED:
      return { key: "unprotected", label: "Unprotected", icon: "!", tone: "warn" };
    case AuditFileStatus.EMPTY:
      return { key: "empty", label: "Empty", icon: "○", tone: "muted" };
    case AuditFileStatus.NOT_CREATED:
      return { key: "not-created", label: "Not created", icon: "○", tone: "muted" };
    case AuditFileStatus.MISSING:
      return { key: "missing", label: "Missing", icon: "✗", tone: "bad" };
    case AuditFileStatus.EMPTIED:
    case AuditFileStatus.BROKEN:
    case AuditFileStatus.STATE_MISMATCH:
      return { key: "broken", label: "Broken", icon: "✗", tone: "bad" };
    case AuditFileStatus.ERROR:
      return { key: "error", label: "Error", icon: "✗", tone: "bad" };
    default:
      return { key: "unknown", label: "Unknown", icon: "?", tone: "muted" };
  }
}

/** Extra line under the description for files that are chained only while the proxy runs. */
export function statusNote(file: AuditFileReport): string {
  const history = file.logType === LogType.CONFIG_HISTORY || file.logType === LogType.POLICY_HISTORY;
  if (history && file.status === AuditFileStatus.UNPROTECTED) return "Protected during runtime only";
  if (file.status === AuditFileStatus.PROTECTED) return "Tamper-evident hash chain";
  return "";
}

export function brokenFiles(report: AuditVerifyReport): AuditFileReport[] {
  return report.files.filter((f) => f.broken);
}

/** One summary line above the rows. */
export function summaryText(report: AuditVerifyReport): { text: string; tone: "ok" | "bad" | "muted" } {
  const broken = brokenFiles(report).length;
  if (broken > 0) return { text: `${broken} file(s) have integrity issues`, tone: "bad" };
  if (report.stateStatus === IntegrityStateStatus.CORRUPTED) return { text: "The integrity state is corrupted", tone: "bad" };
  const verified = report.files.filter((f) => f.status === AuditFileStatus.PROTECTED).length;
  const withEntries = report.files.filter((f) => f.status === AuditFileStatus.PROTECTED || f.status === AuditFileStatus.UNPROTECTED).length;
  if (withEntries === 0) return { text: "No log entries to verify yet", tone: "muted" };
  if (verified === withEntries) return { text: "All audit logs verified", tone: "ok" };
  return { text: `${verified} of ${withEntries} files verified`, tone: "muted" };
}

export function stateFileText(status: IntegrityStateStatus): string {
  switch (status) {
    case IntegrityStateStatus.PRESENT:
      return "Integrity state: present";
    case IntegrityStateStatus.CORRUPTED:
      return "Integrity state: corrupted (counts as broken; Repair rebuilds it)";
    case IntegrityStateStatus.NOT_FOUND:
      return "Integrity state: not found";
    default:
      return "Integrity state: unknown";
  }
}

/** The toast after a Verify click. */
export function verifyToast(report: AuditVerifyReport): { level: "success" | "error" | "info"; message: string } {
  switch (report.overallStatus) {
    case AuditOverallStatus.PASSED: {
      const checked = report.totalProtected + report.totalUnprotected;
      return { level: "success", message: `All ${checked} files passed integrity check` };
    }
    case AuditOverallStatus.FAILED:
      return { level: "error", message: `${Math.max(report.totalBroken, 1)} file(s) failed integrity check` };
    default:
      return { level: "info", message: "No log files to verify" };
  }
}

/** What Repair will do to one broken file, for the confirmation dialog. */
export function repairEffect(file: AuditFileReport): string {
  if (file.status === AuditFileStatus.MISSING) return "The file is gone: its stale integrity state is cleared.";
  const stem = file.fileKey.replace(/\.jsonl$/, "");
  return `Entries are backed up as ${stem}.broken.<timestamp>.jsonl and a fresh, empty file is started.`;
}

export function formatBytes(bytes: bigint | number): string {
  const n = Number(bytes);
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}
