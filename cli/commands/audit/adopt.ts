// `mcp-acp audit adopt --proxy NAME [--file F]`: accepts existing log files that have no integrity
// state (spec audit.md §16.5): missing state next to a non-empty log is a failure, not a fresh
// start, until somebody adopts the files explicitly. Every chain is verified on its own first; one
// that does not verify, or whose existing state disagrees, stops the whole adoption.
import { defineCommand } from "citty";
import {
  FileIntegrityStatus,
  IntegrityStateStore,
  PROTECTED_LOG_FILES,
  StateStoreStatus,
  VerifyStatus,
  logFilePath,
  stateInputFromVerification,
  verifyFile,
  verifyLogDir,
  type IntegrityStateInput,
  type ProtectedLogName,
} from "../../../lib/audit/index.ts";
import { appPaths } from "../../app-paths.ts";
import { failure } from "../../errors.ts";
import { failMark, okMark, printLine, stdoutStyle } from "../../ui/index.ts";
import { AUDIT_PROXY_OPTION, FILE_OPTION, selectedFiles } from "./file-option.ts";
import { proxyAuditKey, signingKey, type ProxyAuditKey } from "./audit-key.ts";
import { proxyLogTarget, withWriterLock, type ProxyLogTarget } from "./proxy-logs.ts";

interface Refusal {
  name: string;
  reason: string;
}

export const adoptCommand = defineCommand({
  meta: { name: "adopt", description: "Accept existing log files without integrity state, after verifying their chains" },
  args: { ...AUDIT_PROXY_OPTION, ...FILE_OPTION },
  async run({ args }) {
    const names = selectedFiles(args.file);
    const paths = appPaths();
    const target = proxyLogTarget(paths, args.proxy);
    const key = proxyAuditKey(paths, target.name);
    // Under the writer lock from the verification to the write: no proxy appends in between.
    await withWriterLock(paths, target, "adopting its logs", () => adopt(target, names, key));
  },
});

function adopt(target: ProxyLogTarget, names: ProtectedLogName[] | undefined, key: ProxyAuditKey): void {
  // Every row is checked (not only the selected files'): the proxy refuses a state with any row its key did not sign.
  const report = verifyLogDir(target.logDir, { macKey: key.checking });
  if (report.stateStatus === StateStoreStatus.Corrupted || report.stateStatus === StateStoreStatus.Unreadable) {
    const unsigned = report.stateStatus === StateStoreStatus.Corrupted && key.existing === null;
    throw failure(
      `Cannot adopt: the integrity state ${report.statePath} is ${report.stateStatus === StateStoreStatus.Corrupted ? "corrupt" : "unreadable"}${unsigned ? ` (it has rows, but there is no audit key ${key.path} to check their signatures)` : ""}.`,
      `Run 'mcp-acp audit repair --proxy ${target.name}' to rebuild it.`,
    );
  }
  const adopted: IntegrityStateInput[] = [];
  const refusals: Refusal[] = [];
  const kept: string[] = [];
  for (const file of PROTECTED_LOG_FILES.filter((f) => names === undefined || names.includes(f.name))) {
    const path = logFilePath(target.logDir, file.fileKey);
    const verified = report.files.find((f) => f.fileKey === file.fileKey);
    if (verified?.state != null) {
      if (verified.status === FileIntegrityStatus.Protected) kept.push(file.name);
      else refusals.push({ name: file.name, reason: `it already has integrity state, which it does not match (${verified.result.problems[0]?.reason ?? verified.status}); use 'audit verify' and 'audit repair'` });
      continue;
    }
    const chain = verifyFile(path, { label: file.fileKey });
    if (chain.status === VerifyStatus.Intact) {
      const input = stateInputFromVerification(file.fileKey, chain);
      if (input !== null) adopted.push(input);
    } else if (chain.status === VerifyStatus.Tampered || chain.status === VerifyStatus.Unverifiable) {
      const problem = chain.problems[0];
      const where = problem !== undefined && problem.line > 0 ? `${path}:${problem.line}` : path;
      refusals.push({ name: file.name, reason: `${where}: ${problem?.reason ?? "the chain does not verify"}` });
    }
  }
  const style = stdoutStyle();
  if (refusals.length > 0) {
    for (const r of refusals) printLine(`${failMark(style)} ${r.name}: ${r.reason}`);
    throw failure(
      `Nothing was adopted: ${refusals.map((r) => r.name).join(", ")} ${refusals.length === 1 ? "does" : "do"} not verify.`,
      `Inspect the file(s); 'mcp-acp audit repair --proxy ${target.name}' backs broken ones up and starts fresh chains.`,
    );
  }
  if (adopted.length === 0) {
    printLine(kept.length > 0 ? `Nothing to adopt: ${kept.join(", ")} already ${kept.length === 1 ? "has" : "have"} integrity state.` : "Nothing to adopt: no chained log entries without state.");
    return;
  }
  const store = IntegrityStateStore.open(report.statePath, { macKey: signingKey(key) });
  try {
    store.putMany(adopted);
  } finally {
    store.close();
  }
  for (const input of adopted) printLine(`${okMark(style)} ${input.fileKey}: adopted (${input.sequence} ${input.sequence === 1 ? "entry" : "entries"}, last seq #${input.sequence})`);
  printLine(`Adopted ${adopted.length} file(s) for proxy '${target.name}'.`);
}
