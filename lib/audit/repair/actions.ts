// Carries out a repair plan on a stopped proxy's log dir (the caller has checked it is stopped and,
// for the CLI, has the user's consent). Each file's outcome is reported; one failure does not stop the others.
import {
  IntegrityStateStore,
  VerifyStatus,
  quarantineTornTail,
  stateInputFromVerification,
  verifyFile,
  type VerifyFileResult,
} from "../index.ts";
import { RepairActionKind, type FileRepairPlan, type RepairPlan } from "./plan.ts";
import { setAsideBrokenLog, setAsideStateDb } from "./set-aside.ts";

export interface FileRepairOutcome {
  plan: FileRepairPlan;
  ok: boolean;
  /** What was done, or why it failed. */
  message: string;
  backupPath?: string;
}

export interface RepairOutcome {
  /** Where a corrupt state database was moved. */
  stateSetAside: string | null;
  files: FileRepairOutcome[];
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function recordHead(store: IntegrityStateStore, plan: FileRepairPlan, chain: VerifyFileResult): string {
  const input = stateInputFromVerification(plan.file.fileKey, chain);
  if (input === null) {
    store.delete(plan.file.fileKey);
    return "no chained entries left; state row removed";
  }
  store.put(input);
  return `state recorded: ${chain.entries} ${chain.entries === 1 ? "entry" : "entries"}, last seq #${chain.lastSequence}`;
}

function carryOut(store: IntegrityStateStore, plan: FileRepairPlan, now: Date): FileRepairOutcome {
  switch (plan.action) {
    case RepairActionKind.None:
      return { plan, ok: true, message: plan.intent };
    case RepairActionKind.Error:
      return { plan, ok: false, message: plan.intent };
    case RepairActionKind.DropState:
      store.delete(plan.file.fileKey);
      return { plan, ok: true, message: "state row removed; the proxy starts a new chain" };
    case RepairActionKind.SyncState: {
      // Verified again now: the file must still be the intact chain the plan saw.
      const chain = verifyFile(plan.path, { label: plan.file.fileKey });
      if (chain.status !== VerifyStatus.Intact || chain.lastHash !== plan.chain.lastHash) {
        return { plan, ok: false, message: "the file changed since it was verified; nothing recorded (run repair again)" };
      }
      return { plan, ok: true, message: recordHead(store, plan, chain) };
    }
    case RepairActionKind.Quarantine: {
      const torn = plan.chain.torn;
      if (torn === null) return { plan, ok: false, message: "no torn line found any more; run repair again" };
      const result = quarantineTornTail(plan.path, torn, now);
      const chain = verifyFile(plan.path, { label: plan.file.fileKey });
      if (chain.status === VerifyStatus.Tampered || chain.status === VerifyStatus.Unverifiable) {
        return { plan, ok: false, message: `torn line moved to ${result.sidecarPath}, but the rest does not verify; run repair again to reset it` };
      }
      return { plan, ok: true, message: `torn line (${result.bytes} bytes) moved to ${result.sidecarPath}; ${recordHead(store, plan, chain)}` };
    }
    case RepairActionKind.Reset: {
      const backupPath = setAsideBrokenLog(plan.path, now);
      store.delete(plan.file.fileKey);
      return { plan, ok: true, message: `backed up to ${backupPath}; started a fresh chain`, backupPath };
    }
  }
}

export interface CarryOutOptions {
  /** Signs the state rows written (pass the proxy's audit key whenever it has one). */
  macKey?: Uint8Array;
}

export function carryOutRepair(plan: RepairPlan, now: Date = new Date(), options: CarryOutOptions = {}): RepairOutcome {
  const stateSetAside = plan.rebuildState ? setAsideStateDb(plan.statePath, now) : null;
  const store = IntegrityStateStore.open(plan.statePath, options.macKey === undefined ? {} : { macKey: options.macKey });
  try {
    const files = plan.files.map((file) => {
      try {
        return carryOut(store, file, now);
      } catch (error) {
        return { plan: file, ok: false, message: `failed: ${describe(error)}` };
      }
    });
    return { stateSetAside, files };
  } finally {
    store.close();
  }
}
