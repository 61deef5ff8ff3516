// How `audit verify` shows its findings: one line per file with ✓/✗, its status and entries, and
// for each problem the file path, line and reason; or one JSON document with the same facts.
import {
  AuditVerdict,
  FileIntegrityStatus,
  IntegrityProblemCode,
  IntegrityWarningCode,
  StateStoreStatus,
  VERIFY_EXIT_CODES,
  type FileReport,
  type IntegrityProblem,
  type LogDirReport,
} from "../../../lib/audit/index.ts";
import { failMark, okMark, printLine, type Style } from "../../ui/index.ts";

export interface ProxyVerification {
  name: string;
  report: LogDirReport;
}

/** Problems shown per file before "… and N more". */
const SHOWN_PROBLEMS = 5;

/** The §10 wording of each status (upper case: counts as broken). */
export const STATUS_LABELS: Readonly<Record<FileIntegrityStatus, string>> = {
  [FileIntegrityStatus.Protected]: "protected",
  [FileIntegrityStatus.Unprotected]: "unprotected",
  [FileIntegrityStatus.Empty]: "empty",
  [FileIntegrityStatus.NotCreated]: "not created",
  [FileIntegrityStatus.Missing]: "MISSING",
  [FileIntegrityStatus.Emptied]: "EMPTY",
  [FileIntegrityStatus.Broken]: "BROKEN",
  [FileIntegrityStatus.StateMismatch]: "STATE MISMATCH",
  [FileIntegrityStatus.Error]: "error reading",
};

const STATE_LABELS: Readonly<Record<StateStoreStatus, string>> = {
  [StateStoreStatus.Present]: "present",
  [StateStoreStatus.NotFound]: "not found",
  [StateStoreStatus.Corrupted]: "CORRUPTED",
  [StateStoreStatus.Unreadable]: "UNREADABLE",
};

// Warnings the status already says.
const QUIET_WARNINGS = new Set<string>([IntegrityWarningCode.Empty, IntegrityWarningCode.NotCreated, IntegrityWarningCode.Unprotected]);

/** A file's name as the --file option spells it: `config-history`. */
export function displayName(name: string): string {
  return name.replace(/_/g, "-");
}

/** The worst verdict: tampering first, then anything unverifiable, and nothing to verify at all. */
export function overallVerdict(proxies: readonly ProxyVerification[]): AuditVerdict {
  const reports = proxies.map((p) => p.report);
  if (reports.some((r) => r.verdict === AuditVerdict.Tampered)) return AuditVerdict.Tampered;
  if (reports.some((r) => r.stateStatus === StateStoreStatus.Unreadable || r.totals.unverifiable > 0)) return AuditVerdict.Unverifiable;
  const checked = reports.reduce((n, r) => n + r.totals.protected + r.totals.unprotected, 0);
  return checked === 0 ? AuditVerdict.Unverifiable : AuditVerdict.Intact;
}

function plural(n: number, noun: string, nouns = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : nouns}`;
}

function fileDetail(file: FileReport): string {
  const r = file.result;
  switch (file.status) {
    case FileIntegrityStatus.Protected:
      return `${plural(r.entries, "entry", "entries")}, last seq #${r.lastSequence}`;
    case FileIntegrityStatus.Unprotected:
      return `${plural(r.lines, "line")} without chain fields`;
    case FileIntegrityStatus.Broken:
    case FileIntegrityStatus.StateMismatch:
      return r.entries > 0 ? `${plural(r.entries, "entry", "entries")} read` : "";
    default:
      return "";
  }
}

function problemLine(path: string, problem: IntegrityProblem): string {
  return problem.line > 0 ? `${path}:${problem.line}: ${problem.reason}` : `${path}: ${problem.reason}`;
}

function printFile(file: FileReport, style: Style, width: number): void {
  const mark = file.broken ? failMark(style) : file.status === FileIntegrityStatus.Protected ? okMark(style) : style.dim("·");
  const label = STATUS_LABELS[file.status];
  const status = file.broken ? style.red(label.padEnd(14)) : label.padEnd(14);
  printLine(`  ${mark} ${displayName(file.name).padEnd(width)}  ${status}  ${fileDetail(file)}`.trimEnd());
  const problems = file.result.problems;
  for (const problem of problems.slice(0, SHOWN_PROBLEMS)) printLine(`      ${problemLine(file.path, problem)}`);
  const more = problems.length - SHOWN_PROBLEMS + file.result.omittedProblems;
  if (more > 0) printLine(style.dim(`      … and ${plural(more, "more problem")}`));
  for (const warning of file.result.warnings) {
    if (QUIET_WARNINGS.has(warning.code)) continue;
    printLine(style.dim(`      note: ${warning.line > 0 ? `line ${warning.line}: ` : ""}${warning.message}`));
  }
}

function printProxy(proxy: ProxyVerification, style: Style): void {
  const { report } = proxy;
  printLine(style.bold(`Proxy '${proxy.name}'`) + `  ${report.logDir}`);
  const stateLabel = STATE_LABELS[report.stateStatus];
  const broken = report.stateStatus === StateStoreStatus.Corrupted || report.stateStatus === StateStoreStatus.Unreadable;
  printLine(`  Integrity state: ${broken ? style.red(stateLabel) : stateLabel}  (${report.statePath})`);
  for (const problem of report.stateProblems) printLine(`      ${problemLine(report.statePath, problem)}`);
  const width = Math.max(...report.files.map((f) => f.name.length));
  for (const file of report.files) printFile(file, style, width);
  printLine();
}

function summaryLine(proxies: readonly ProxyVerification[], verdict: AuditVerdict, style: Style): string[] {
  const files = proxies.flatMap((p) => p.report.files);
  const count = (status: FileIntegrityStatus): number => files.filter((f) => f.status === status).length;
  const tally = [`${count(FileIntegrityStatus.Protected)} protected`];
  if (count(FileIntegrityStatus.Unprotected) > 0) tally.push(`${count(FileIntegrityStatus.Unprotected)} unprotected`);
  if (count(FileIntegrityStatus.Empty) > 0) tally.push(`${count(FileIntegrityStatus.Empty)} empty`);
  const scope = plural(proxies.length, "proxy", "proxies");
  if (verdict === AuditVerdict.Intact) return [`${okMark(style)} Audit logs intact (${scope}: ${tally.join(", ")}).`];
  if (verdict === AuditVerdict.Tampered) {
    const lines = [`${failMark(style)} ${style.red("Audit logs TAMPERED or damaged")}:`];
    for (const p of proxies) {
      const bad = p.report.files.filter((f) => f.broken).map((f) => `${displayName(f.name)} (${STATUS_LABELS[f.status]})`);
      if (p.report.stateStatus === StateStoreStatus.Corrupted) bad.unshift("integrity state (CORRUPTED)");
      if (bad.length > 0) lines.push(`    proxy '${p.name}': ${bad.join(", ")}`);
    }
    const names = proxies.filter((p) => p.report.verdict === AuditVerdict.Tampered).map((p) => p.name);
    const which = names.length === 1 ? (names[0] ?? "<name>") : "<name>";
    lines.push(`  Keep a copy of the files for investigation, then run 'mcp-acp audit repair --proxy ${which}'.`);
    const stateLost = proxies.some((p) => p.report.files.some((f) => f.result.problems.some((x) => x.code === IntegrityProblemCode.StateMissing)));
    if (stateLost) lines.push(`  If files flagged for missing state are genuine (the state was lost), accept them with 'mcp-acp audit adopt --proxy ${which}'.`);
    return lines;
  }
  const unreadable = proxies.some((p) => p.report.stateStatus === StateStoreStatus.Unreadable || p.report.totals.unverifiable > 0);
  return [
    unreadable
      ? `${failMark(style)} Unable to verify: some files or the integrity state could not be read (see above).`
      : `${failMark(style)} Nothing to verify: no chained log entries yet (${scope}). The logs appear once a proxy has run.`,
  ];
}

export function printVerification(proxies: readonly ProxyVerification[], verdict: AuditVerdict, style: Style): void {
  for (const proxy of proxies) printProxy(proxy, style);
  for (const line of summaryLine(proxies, verdict, style)) printLine(line);
}

function problemJson(p: IntegrityProblem): Record<string, unknown> {
  return { line: p.line, code: p.code, reason: p.reason, ...(p.sequence !== undefined ? { sequence: p.sequence } : {}) };
}

/** The --json document: per proxy, per file, and the overall verdict with its exit code. */
export function verificationJson(proxies: readonly ProxyVerification[], verdict: AuditVerdict): Record<string, unknown> {
  return {
    verdict,
    exit_code: VERIFY_EXIT_CODES[verdict],
    proxies: proxies.map(({ name, report }) => ({
      proxy: name,
      log_dir: report.logDir,
      verdict: report.verdict,
      exit_code: report.exitCode,
      state: { path: report.statePath, status: report.stateStatus, problems: report.stateProblems.map(problemJson) },
      totals: report.totals,
      files: report.files.map((f) => ({
        name: f.name,
        file_key: f.fileKey,
        path: f.path,
        status: f.status,
        broken: f.broken,
        entries: f.result.entries,
        last_sequence: f.result.lastSequence,
        state_lag: f.result.stateLag,
        problems: f.result.problems.map(problemJson),
        omitted_problems: f.result.omittedProblems,
        warnings: f.result.warnings.map((w) => ({ line: w.line, code: w.code, message: w.message })),
      })),
    })),
  };
}
