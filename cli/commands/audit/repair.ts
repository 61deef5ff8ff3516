// `mcp-acp audit repair --proxy NAME [--file F] [--yes]`, offline form: for a stopped proxy,
// re-record the state of intact chains, quarantine a torn last line, and set broken files aside
// under a unique backup name with a fresh chain (spec audit.md §10). Refused while the proxy runs;
// asks before changing anything unless --yes.
import { defineCommand } from "citty";
import { StateStoreStatus } from "../../../lib/audit/index.ts";
import { RepairActionKind, carryOutRepair, planChangesSomething, planRepair, type RepairPlan } from "../../../lib/audit/repair/index.ts";
import { appPaths } from "../../app-paths.ts";
import { CliError, CliErrorCode, EXIT_ERROR, EXIT_OK, failure } from "../../errors.ts";
import { failMark, isInteractive, okMark, printLine, prompter, stdoutStyle } from "../../ui/index.ts";
import { AUDIT_PROXY_OPTION, FILE_OPTION, selectedFiles } from "./file-option.ts";
import { proxyAuditKey, signingKey } from "./audit-key.ts";
import { proxyLogTarget, refuseWhileRunning, withWriterLock } from "./proxy-logs.ts";
import { STATUS_LABELS, displayName } from "./verify-report.ts";

const SHOWN_PROBLEMS = 2;

function printPlan(name: string, plan: RepairPlan): void {
  const style = stdoutStyle();
  printLine(style.bold(`Proxy '${name}'`) + `  ${plan.logDir}`);
  if (plan.rebuildState) {
    printLine(`  ${failMark(style)} integrity state CORRUPTED (${plan.statePath})`);
    for (const problem of plan.stateProblems) printLine(`      ${problem.reason}`);
    printLine("      → set it aside and rebuild it from the files whose chains verify");
  }
  const width = Math.max(...plan.files.map((f) => f.file.name.length));
  for (const file of plan.files) {
    const changes = file.action !== RepairActionKind.None;
    const mark = file.action === RepairActionKind.None ? okMark(style) : failMark(style);
    printLine(`  ${mark} ${displayName(file.file.name).padEnd(width)}  ${STATUS_LABELS[file.status]}`);
    if (!changes) continue;
    for (const problem of file.problems.slice(0, SHOWN_PROBLEMS)) {
      printLine(`      ${problem.line > 0 ? `${file.path}:${problem.line}` : file.path}: ${problem.reason}`);
    }
    if (file.problems.length > SHOWN_PROBLEMS) printLine(style.dim(`      … and ${file.problems.length - SHOWN_PROBLEMS} more`));
    printLine(`      → ${file.intent}`);
  }
  printLine();
}

async function confirmed(yes: boolean): Promise<boolean> {
  if (yes) return true;
  if (!isInteractive()) {
    throw failure("Nothing was changed: repair needs confirmation.", "Pass --yes to repair without asking (for scripts), or run it in a terminal.");
  }
  return prompter().confirm("Carry out these repairs?", false);
}

export const repairCommand = defineCommand({
  meta: { name: "repair", description: "Repair a stopped proxy's audit logs: resync state, or back up broken files and start fresh chains" },
  args: {
    ...AUDIT_PROXY_OPTION,
    ...FILE_OPTION,
    yes: { type: "boolean", alias: "y", description: "Do not ask for confirmation" },
  },
  async run({ args }) {
    const names = selectedFiles(args.file);
    const paths = appPaths();
    const target = proxyLogTarget(paths, args.proxy);
    await refuseWhileRunning(paths, target, "repairing its logs");
    const key = proxyAuditKey(paths, target.name);
    // Without a key file the throwaway checking key makes every existing row count as unsigned,
    // so the plan rebuilds the state, signed with the key created below.
    const plan = planRepair(target.logDir, names, { macKey: key.checking });
    if (plan.stateStatus === StateStoreStatus.Unreadable) {
      const reason = plan.stateProblems[0]?.reason ?? `cannot open ${plan.statePath}`;
      throw failure(`Cannot repair proxy '${target.name}': ${reason}`, `Make ${plan.statePath} a readable file of yours (or move it away), then run repair again.`);
    }
    printPlan(target.name, plan);
    const unreadable = plan.files.filter((f) => f.action === RepairActionKind.Error);
    if (!planChangesSomething(plan)) {
      if (unreadable.length > 0) throw failure(`Cannot repair ${unreadable.map((f) => f.file.name).join(", ")}: the file cannot be read.`);
      printLine("No files needed repair.");
      return EXIT_OK;
    }
    if (!(await confirmed(args.yes === true))) throw new CliError(CliErrorCode.Aborted, "Aborted: nothing was changed.");
    // Under the writer lock: the proxy may have started while the user read the plan, and must not start during the repair.
    const outcome = await withWriterLock(paths, target, "repairing its logs", () => carryOutRepair(plan, new Date(), { macKey: signingKey(key) }));
    const style = stdoutStyle();
    if (outcome.stateSetAside !== null) printLine(`${okMark(style)} corrupt integrity state moved to ${outcome.stateSetAside}; a new one was built`);
    let repaired = 0;
    let reset = 0;
    for (const file of outcome.files) {
      if (file.plan.action === RepairActionKind.None) continue;
      printLine(`${file.ok ? okMark(style) : failMark(style)} ${displayName(file.plan.file.name)}: ${file.message}`);
      if (!file.ok) continue;
      if (file.plan.action === RepairActionKind.Reset) reset++;
      else repaired++;
    }
    const failed = outcome.files.filter((f) => !f.ok);
    if (failed.length > 0) {
      printLine(`${failMark(style)} ${failed.length} file(s) could not be repaired: ${failed.map((f) => f.plan.file.name).join(", ")}.`);
      return EXIT_ERROR;
    }
    const done = [repaired > 0 ? `Repaired ${repaired} file(s)` : "", reset > 0 ? `reset ${reset} broken file(s)` : ""].filter((s) => s !== "").join(", ");
    printLine(`${done.charAt(0).toUpperCase()}${done.slice(1)}. Proxy '${target.name}' should now start.`);
    return EXIT_OK;
  },
});
