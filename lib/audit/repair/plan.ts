// What a repair would do to each chained file of a stopped proxy (spec audit.md §10, §16.9), for
// `mcp-acp audit repair` and the manager's RepairAudit.
// Each file's chain is verified on its own (without the state) and compared with the state-aware
// verdict: an intact chain whose state is stale, missing or lagging gets its state recorded again;
// a torn last line is quarantined; a broken chain is set aside as a backup and started afresh; a
// file that is gone or empty only loses its state row. Nothing is changed here.
import {
  FileIntegrityStatus,
  IntegrityProblemCode,
  PROTECTED_LOG_FILES,
  StateStoreStatus,
  VerifyStatus,
  logFilePath,
  verifyFile,
  verifyLogDir,
  type IntegrityProblem,
  type ProtectedLogFile,
  type ProtectedLogName,
  type VerifyFileResult,
} from "../index.ts";

export enum RepairActionKind {
  /** Nothing to do. */
  None = "none",
  /** Record the file's verified head in the state (stale, missing, ahead or lagging state). */
  SyncState = "sync_state",
  /** Forget the state row of a file that is gone or empty. */
  DropState = "drop_state",
  /** Move a torn last line to a sidecar, then record the head of the rest. */
  Quarantine = "quarantine",
  /** Back the file up under a unique name, start an empty file and forget its state row. */
  Reset = "reset",
  /** The file cannot be read: nothing can be done safely. */
  Error = "error",
}

export interface FileRepairPlan {
  file: ProtectedLogFile;
  path: string;
  /** The verdict against the state, as `audit verify` shows it. */
  status: FileIntegrityStatus;
  action: RepairActionKind;
  /** The problems that led to the action. */
  problems: IntegrityProblem[];
  /** Whether the state has a row for the file. */
  hasStateRow: boolean;
  /** The chain verified on its own. */
  chain: VerifyFileResult;
  /** What will be done, for the confirmation. */
  intent: string;
}

export interface RepairPlan {
  logDir: string;
  statePath: string;
  stateStatus: StateStoreStatus;
  stateProblems: IntegrityProblem[];
  /** The state database is not a sound database: set it aside and rebuild it from the files. */
  rebuildState: boolean;
  files: FileRepairPlan[];
}

function entries(n: number): string {
  return `${n} ${n === 1 ? "entry" : "entries"}`;
}

function syncIntent(chain: VerifyFileResult, status: FileIntegrityStatus, lag: number): string {
  const head = `${entries(chain.entries)}, last seq #${chain.lastSequence}`;
  if (status === FileIntegrityStatus.Protected && lag > 0) return `advance the state over ${entries(lag)} appended after its last update (${head})`;
  return `record the file's verified chain in the state (${head})`;
}

function decide(chain: VerifyFileResult, status: FileIntegrityStatus, stateLag: number, hasRow: boolean, rebuildState: boolean): [RepairActionKind, string] {
  switch (chain.status) {
    case VerifyStatus.Unverifiable:
      return [RepairActionKind.Error, "cannot read the file; fix its permissions or type and run repair again"];
    case VerifyStatus.Missing:
    case VerifyStatus.Empty:
      return hasRow
        ? [RepairActionKind.DropState, `forget its state row (the file is ${chain.status === VerifyStatus.Missing ? "gone" : "empty"}); the proxy starts a new chain`]
        : [RepairActionKind.None, "nothing to do"];
    case VerifyStatus.Unprotected:
      return hasRow
        ? [RepairActionKind.Reset, "back it up and start a fresh chain (the state records chained entries, the file has none)"]
        : [RepairActionKind.None, "nothing to do (no chained entries)"];
    case VerifyStatus.Intact:
      if (status === FileIntegrityStatus.Protected && stateLag === 0 && !rebuildState) return [RepairActionKind.None, "intact, nothing to do"];
      return [RepairActionKind.SyncState, syncIntent(chain, status, stateLag)];
    case VerifyStatus.Tampered: {
      const onlyTorn = chain.torn !== null && chain.problems.every((p) => p.code === IntegrityProblemCode.TornLine);
      if (onlyTorn) return [RepairActionKind.Quarantine, `move the torn last line (line ${chain.torn?.line ?? 0}) to a .torn sidecar, then record the chain before it`];
      return [RepairActionKind.Reset, "back it up under a unique name and start a fresh chain"];
    }
  }
}

export interface PlanRepairOptions {
  /** The proxy's audit key: rows it did not sign count as a corrupt state (rebuilt by the repair). */
  macKey?: Uint8Array;
}

/** Verifies a stopped proxy's chained files and decides, per file, what repair would do. */
export function planRepair(logDir: string, names?: readonly ProtectedLogName[], options: PlanRepairOptions = {}): RepairPlan {
  const report = verifyLogDir(logDir, {
    ...(names === undefined ? {} : { files: names }),
    ...(options.macKey === undefined ? {} : { macKey: options.macKey }),
  });
  const rebuildState = report.stateStatus === StateStoreStatus.Corrupted;
  const files = PROTECTED_LOG_FILES.filter((f) => names === undefined || names.includes(f.name)).map((file): FileRepairPlan => {
    const path = logFilePath(logDir, file.fileKey);
    const verified = report.files.find((f) => f.fileKey === file.fileKey);
    const status = verified?.status ?? FileIntegrityStatus.Error;
    const chain = verifyFile(path, { label: file.fileKey });
    const hasRow = verified?.state != null;
    const [action, intent] = decide(chain, status, verified?.result.stateLag ?? 0, hasRow, rebuildState);
    const problems = chain.problems.length > 0 ? chain.problems : (verified?.result.problems ?? []);
    return { file, path, status, action, problems, hasStateRow: hasRow, chain, intent };
  });
  return { logDir, statePath: report.statePath, stateStatus: report.stateStatus, stateProblems: report.stateProblems, rebuildState, files };
}

/** Whether carrying out the plan changes anything. */
export function planChangesSomething(plan: RepairPlan): boolean {
  return plan.rebuildState || plan.files.some((f) => f.action !== RepairActionKind.None && f.action !== RepairActionKind.Error);
}
