// The startup gate (spec audit.md §6.3, §16.5): before the proxy serves anything, every chained
// file is verified in full against its signed state row — file identity, state head, the whole
// chain. Any problem refuses the start (exit 10). Missing state next to chained content is a
// problem, never a fresh start (`mcp-acp audit adopt` accepts such files explicitly). The one
// thing repaired here is a torn last line — a write cut short by a crash, which can never have
// been acknowledged because a record counts only once its whole line is synced: it is moved to a
// sidecar with an incident, never dropped silently, and the file verified again.
import {
  FileIntegrityStatus,
  IntegrityProblemCode,
  IntegrityWarningCode,
  type LogDirReport,
  PROTECTED_LOG_FILES,
  type ProtectedLogName,
  type QuarantineResult,
  StateStoreStatus,
  type VerifyFileResult,
  quarantineTornTail,
  verifyLogDir,
} from "../../../lib/audit/index.ts";
import { errorText, ProxyAuditError, ProxyAuditErrorCode } from "./errors.ts";

export interface QuarantinedTail extends QuarantineResult {
  fileKey: string;
  /** Line number the torn fragment had. */
  line: number;
}

export interface StartupVerification {
  /** The final result per file (after any quarantine). */
  results: Map<ProtectedLogName, VerifyFileResult>;
  quarantined: QuarantinedTail[];
  /** Warnings worth recording (state lagging, pre-chain lines, clock going backwards). */
  warnings: string[];
  /** True when there was no state database at all (a first start). */
  stateAbsent: boolean;
  /** Whether any state row exists. */
  hasStateRows: boolean;
}

const MAX_REASONS_PER_FILE = 3;
const RECORDED_WARNINGS = new Set<string>([IntegrityWarningCode.StateLagging, IntegrityWarningCode.PreChainLines, IntegrityWarningCode.TimeBackwards, IntegrityWarningCode.Unprotected]);

function onlyTorn(result: VerifyFileResult): boolean {
  return result.torn !== null && result.problems.length > 0 && result.problems.every((p) => p.code === IntegrityProblemCode.TornLine) && result.omittedProblems === 0;
}

function reasonsOf(fileKey: string, result: VerifyFileResult): string[] {
  const shown = result.problems.slice(0, MAX_REASONS_PER_FILE).map((p) => (p.reason.includes(fileKey) ? p.reason : `${fileKey}: ${p.reason}`));
  const more = result.problems.length - shown.length + result.omittedProblems;
  if (more > 0) shown.push(`${more} more problem(s) in ${fileKey}`);
  return shown;
}

function failure(name: string, errors: string[]): ProxyAuditError {
  return new ProxyAuditError(ProxyAuditErrorCode.IntegrityFailed, `Audit log integrity verification failed: ${errors.join("; ")}`, {
    hint: `See 'mcp-acp audit verify --proxy ${name}'. Logs that verify but have no integrity state can be accepted with 'mcp-acp audit adopt --proxy ${name}'; broken ones are set aside with 'mcp-acp audit repair --proxy ${name}'.`,
  });
}

function verify(logDir: string, macKey: Uint8Array, files?: ProtectedLogName[]): LogDirReport {
  return verifyLogDir(logDir, { macKey, ...(files === undefined ? {} : { files }) });
}

/**
 * Verifies the proxy's six chained files against state.db, signed rows checked with `macKey`.
 * Quarantines torn last lines. Throws ProxyAuditError(IntegrityFailed) on any other problem.
 */
export function verifyAtStartup(logDir: string, proxyName: string, macKey: Uint8Array): StartupVerification {
  const report = verify(logDir, macKey);
  const errors: string[] = [];
  if (report.stateStatus === StateStoreStatus.Corrupted || report.stateStatus === StateStoreStatus.Unreadable) {
    for (const problem of report.stateProblems) errors.push(problem.reason);
  }
  const results = new Map<ProtectedLogName, VerifyFileResult>();
  const quarantined: QuarantinedTail[] = [];
  const warnings: string[] = [];
  for (const file of report.files) {
    let result = file.result;
    if (onlyTorn(result) && result.torn !== null) {
      const torn = result.torn;
      let moved: QuarantineResult;
      try {
        moved = quarantineTornTail(file.path, torn);
      } catch (error) {
        errors.push(`${file.fileKey}: its torn last line could not be quarantined: ${errorText(error)}`);
        continue;
      }
      quarantined.push({ ...moved, fileKey: file.fileKey, line: torn.line });
      const again = verify(logDir, macKey, [file.name]).files[0];
      if (again === undefined) throw new Error(`verifyLogDir returned no result for ${file.fileKey}`);
      result = again.result;
      if (again.broken) {
        errors.push(...reasonsOf(file.fileKey, result));
        continue;
      }
    } else if (file.broken || file.status === FileIntegrityStatus.Error) {
      errors.push(...reasonsOf(file.fileKey, result));
      continue;
    }
    results.set(file.name, result);
    for (const warning of result.warnings) if (RECORDED_WARNINGS.has(warning.code)) warnings.push(`${file.fileKey}: ${warning.message}`);
  }
  if (errors.length > 0) throw failure(proxyName, errors);
  if (results.size !== PROTECTED_LOG_FILES.length) throw new Error("startup verification lost a file result");
  return {
    results,
    quarantined,
    warnings,
    stateAbsent: report.stateStatus === StateStoreStatus.NotFound,
    hasStateRows: report.files.some((f) => f.state !== null),
  };
}
