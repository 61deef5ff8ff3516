// Verifies the six chained files of one proxy's log dir against its state.db (spec audit.md §6.3
// step 4, §10 `audit verify`, §16.7): per-file results, the status the CLI and API show, and one
// verdict with its exit code (0 intact, 1 tampered, 2 unable to verify). Read-only: it never
// creates or changes the state (a lagging state is reported; advancing it is the writer's job).

import { AuditError, AuditErrorCode } from "./errors.ts";
import { type ProtectedLogFile, type ProtectedLogName, PROTECTED_LOG_FILES, integrityStatePath, logFilePath } from "./files.ts";
import { type IntegrityStateRow, IntegrityStateStore } from "./state-store.ts";
import { verifyFile, verifyFileAsync } from "./verify.ts";
import {
  type ExpectedFileState,
  type IntegrityProblem,
  IntegrityProblemCode as P,
  type VerifyFileOptions,
  type VerifyFileResult,
  VerifyStatus,
  type WitnessHead,
} from "./verify-types.ts";

/** What `audit verify` and the API show per file (spec §10 table, proto AuditFileStatus). */
export enum FileIntegrityStatus {
  Protected = "protected",
  Unprotected = "unprotected",
  Empty = "empty",
  NotCreated = "not_created",
  Missing = "missing",
  Emptied = "emptied",
  Broken = "broken",
  StateMismatch = "state_mismatch",
  Error = "error",
}

export enum StateStoreStatus {
  Present = "present",
  NotFound = "not_found",
  /** Not a database, unknown schema, malformed row or failed MAC: counts as tampering. */
  Corrupted = "corrupted",
  /** Could not be opened for another reason (permissions, lock): nothing can be compared. */
  Unreadable = "unreadable",
}

export enum AuditVerdict {
  Intact = "intact",
  Tampered = "tampered",
  Unverifiable = "unverifiable",
}

/** `mcp-acp audit verify` exit codes (spec §10, §14). */
export const VERIFY_EXIT_CODES: Readonly<Record<AuditVerdict, 0 | 1 | 2>> = Object.freeze({
  [AuditVerdict.Intact]: 0,
  [AuditVerdict.Tampered]: 1,
  [AuditVerdict.Unverifiable]: 2,
});

const BROKEN_STATUSES = new Set([
  FileIntegrityStatus.Missing,
  FileIntegrityStatus.Emptied,
  FileIntegrityStatus.Broken,
  FileIntegrityStatus.StateMismatch,
  FileIntegrityStatus.Error,
]);

// Problems about the file's relation to the state rather than about its own chain.
const STATE_CODES = new Set([P.FileReplaced, P.StateAhead, P.StateMismatch, P.StateMissing, P.StateCorrupt]);

export interface FileReport {
  name: ProtectedLogName;
  fileKey: string;
  path: string;
  description: string;
  status: FileIntegrityStatus;
  /** Counts as broken (MISSING, EMPTIED, BROKEN, STATE MISMATCH, error reading). */
  broken: boolean;
  /** The state row compared with (null: none recorded or state unusable). */
  state: IntegrityStateRow | null;
  result: VerifyFileResult;
}

export interface LogDirReport {
  logDir: string;
  statePath: string;
  stateStatus: StateStoreStatus;
  /** Problems with the state itself (corrupt database, bad or unsigned row), file key in the reason. */
  stateProblems: IntegrityProblem[];
  files: FileReport[];
  totals: { protected: number; unprotected: number; empty: number; broken: number; unverifiable: number };
  verdict: AuditVerdict;
  exitCode: 0 | 1 | 2;
}

export interface VerifyLogDirOptions {
  /** Default: `<logDir>/state.db`. */
  statePath?: string;
  /** Which files (default: all six). */
  files?: readonly ProtectedLogName[];
  /** Key of the state rows' MAC; with it, an unsigned or mis-signed row counts as tampering. */
  macKey?: Uint8Array;
  /** Heads witnessed by signed checkpoints, per file key; each must still be in its file. */
  witnesses?: Readonly<Record<string, readonly WitnessHead[]>>;
  /** How far the state may lag a file (default: any number of verified entries). */
  maxStateLag?: number;
}

interface LoadedState {
  status: StateStoreStatus;
  rows: Map<string, IntegrityStateRow>;
  problems: IntegrityProblem[];
  /** A problem with one file's row (failed MAC), added to that file's result. */
  rowProblems: Map<string, IntegrityProblem>;
}

function loadState(statePath: string, options: VerifyLogDirOptions, wanted: readonly ProtectedLogFile[]): LoadedState {
  let store: IntegrityStateStore;
  try {
    store = IntegrityStateStore.open(statePath, { create: false, ...(options.macKey ? { macKey: options.macKey } : {}) });
  } catch (error) {
    if (error instanceof AuditError && error.code === AuditErrorCode.StateNotFound) {
      return { status: StateStoreStatus.NotFound, rows: new Map(), problems: [], rowProblems: new Map() };
    }
    return stateFailure(error);
  }
  try {
    const rows = new Map<string, IntegrityStateRow>();
    const problems: IntegrityProblem[] = [];
    const rowProblems = new Map<string, IntegrityProblem>();
    for (const file of wanted) {
      const row = store.get(file.fileKey);
      if (row === null) continue;
      rows.set(file.fileKey, row);
      if (!store.macValid(row)) {
        const problem = {
          line: 0,
          code: P.StateCorrupt,
          reason: `The integrity state row of ${file.fileKey} ${row.mac === null ? "is not signed" : "fails its MAC check"}: it was written without the proxy's key (state rewritten outside mcp-acp)`,
        };
        problems.push(problem);
        rowProblems.set(file.fileKey, problem);
      }
    }
    return { status: problems.length > 0 ? StateStoreStatus.Corrupted : StateStoreStatus.Present, rows, problems, rowProblems };
  } catch (error) {
    return stateFailure(error);
  } finally {
    store.close();
  }
}

function stateFailure(error: unknown): LoadedState {
  const corrupt = error instanceof AuditError && error.code === AuditErrorCode.StateCorrupt;
  const reason = error instanceof Error ? error.message : String(error);
  return {
    status: corrupt ? StateStoreStatus.Corrupted : StateStoreStatus.Unreadable,
    rows: new Map(),
    problems: [{ line: 0, code: corrupt ? P.StateCorrupt : P.ReadError, reason }],
    rowProblems: new Map(),
  };
}

function expectedFrom(row: IntegrityStateRow): ExpectedFileState {
  return { sequence: row.sequence, lastHash: row.lastHash, inode: row.inode, device: row.device, size: row.size };
}

/** The per-file status shown by `audit verify` for one verification result. */
export function fileStatusOf(result: VerifyFileResult): FileIntegrityStatus {
  switch (result.status) {
    case VerifyStatus.Intact:
      return FileIntegrityStatus.Protected;
    case VerifyStatus.Unprotected:
      return FileIntegrityStatus.Unprotected;
    case VerifyStatus.Empty:
      return FileIntegrityStatus.Empty;
    case VerifyStatus.Missing:
      return FileIntegrityStatus.NotCreated;
    case VerifyStatus.Unverifiable:
      return FileIntegrityStatus.Error;
    case VerifyStatus.Tampered: {
      const codes = result.problems.map((p) => p.code);
      if (codes.includes(P.FileMissing)) return FileIntegrityStatus.Missing;
      if (codes.includes(P.FileEmptied)) return FileIntegrityStatus.Emptied;
      return codes.length > 0 && codes.every((c) => STATE_CODES.has(c)) ? FileIntegrityStatus.StateMismatch : FileIntegrityStatus.Broken;
    }
  }
}

function fileOptions(file: ProtectedLogFile, state: LoadedState, options: VerifyLogDirOptions): VerifyFileOptions {
  const row = state.rows.get(file.fileKey);
  const fileOpts: VerifyFileOptions = { label: file.fileKey };
  // Only a readable, sound state can vouch for a file. A missing state.db or row means "no state":
  // chained content is then a problem (fail closed). A corrupt or unreadable state is reported
  // once, and the chains are still checked on their own.
  if (state.status !== StateStoreStatus.Unreadable && (state.status !== StateStoreStatus.Corrupted || state.rowProblems.size > 0)) {
    fileOpts.state = row === undefined ? null : expectedFrom(row);
  }
  const witnesses = options.witnesses?.[file.fileKey];
  if (witnesses !== undefined) fileOpts.witnesses = witnesses;
  if (options.maxStateLag !== undefined) fileOpts.maxStateLag = options.maxStateLag;
  return fileOpts;
}

function report(logDir: string, statePath: string, state: LoadedState, files: FileReport[]): LogDirReport {
  const totals = { protected: 0, unprotected: 0, empty: 0, broken: 0, unverifiable: 0 };
  for (const f of files) {
    if (f.status === FileIntegrityStatus.Protected) totals.protected++;
    else if (f.status === FileIntegrityStatus.Unprotected) totals.unprotected++;
    else if (f.status === FileIntegrityStatus.Empty) totals.empty++;
    if (f.broken) totals.broken++;
    if (f.status === FileIntegrityStatus.Error) totals.unverifiable++;
  }
  const tampered = state.status === StateStoreStatus.Corrupted || files.some((f) => f.broken && f.status !== FileIntegrityStatus.Error);
  let verdict: AuditVerdict;
  if (tampered) verdict = AuditVerdict.Tampered;
  else if (totals.unverifiable > 0 || state.status === StateStoreStatus.Unreadable) verdict = AuditVerdict.Unverifiable;
  else if (totals.protected + totals.unprotected === 0) verdict = AuditVerdict.Unverifiable; // nothing to verify
  else verdict = AuditVerdict.Intact;
  return { logDir, statePath, stateStatus: state.status, stateProblems: state.problems, files, totals, verdict, exitCode: VERIFY_EXIT_CODES[verdict] };
}

function selectFiles(options: VerifyLogDirOptions): readonly ProtectedLogFile[] {
  if (options.files === undefined) return PROTECTED_LOG_FILES;
  const wanted = new Set(options.files);
  return PROTECTED_LOG_FILES.filter((f) => wanted.has(f.name));
}

function fileReport(file: ProtectedLogFile, path: string, state: LoadedState, result: VerifyFileResult): FileReport {
  const rowProblem = state.rowProblems.get(file.fileKey);
  if (rowProblem !== undefined) {
    result.problems.unshift(rowProblem);
    if (result.status !== VerifyStatus.Unverifiable) result.status = VerifyStatus.Tampered;
  }
  const status = fileStatusOf(result);
  return {
    name: file.name,
    fileKey: file.fileKey,
    path,
    description: file.description,
    status,
    broken: BROKEN_STATUSES.has(status),
    state: state.rows.get(file.fileKey) ?? null,
    result,
  };
}

/** Verifies a proxy's chained logs (its PLD) against its integrity state. Never throws for findings. */
export function verifyLogDir(logDir: string, options: VerifyLogDirOptions = {}): LogDirReport {
  const statePath = options.statePath ?? integrityStatePath(logDir);
  const wanted = selectFiles(options);
  const state = loadState(statePath, options, wanted);
  const files = wanted.map((file) => {
    const path = logFilePath(logDir, file.fileKey);
    return fileReport(file, path, state, verifyFile(path, fileOptions(file, state, options)));
  });
  return report(logDir, statePath, state, files);
}

/** verifyLogDir reading the logs asynchronously (for a running proxy's monitor or RPC). */
export async function verifyLogDirAsync(logDir: string, options: VerifyLogDirOptions = {}): Promise<LogDirReport> {
  const statePath = options.statePath ?? integrityStatePath(logDir);
  const wanted = selectFiles(options);
  const state = loadState(statePath, options, wanted);
  const files: FileReport[] = [];
  for (const file of wanted) {
    const path = logFilePath(logDir, file.fileKey);
    files.push(fileReport(file, path, state, await verifyFileAsync(path, fileOptions(file, state, options))));
  }
  return report(logDir, statePath, state, files);
}
