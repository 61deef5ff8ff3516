// `mcp-acp audit verify [--proxy NAME] [--file F|all] [--json]`: checks the hash chains of the
// chained logs against the integrity state, offline, with the proxy's own verifier. Exit 0 intact,
// 1 tampered, 2 unable to verify (also when there is nothing to verify, the proxy is unknown or
// mcp-acp is not initialised, or the proxy's audit key is damaged: a script must never read those
// as "tampered"). State rows are checked against the proxy's audit key, as the startup gate does.
import { defineCommand } from "citty";
import { ConfigError } from "../../../lib/config/index.ts";
import { AuditError, VERIFY_EXIT_CODES, AuditVerdict, StateStoreStatus, verifyLogDir } from "../../../lib/audit/index.ts";
import { appPaths } from "../../app-paths.ts";
import { CliError } from "../../errors.ts";
import { printErrorLine, printJson, printLine, stderrStyle, stdoutStyle } from "../../ui/index.ts";
import { auditKeyFailure, readProxyAuditKey, type ProxyAuditKey } from "./audit-key.ts";
import { FILE_OPTION, selectedFiles } from "./file-option.ts";
import { proxyLogTargets, type ProxyLogTarget } from "./proxy-logs.ts";
import { overallVerdict, printVerification, verificationJson, type ProxyVerification } from "./verify-report.ts";

const EXIT_UNVERIFIABLE = VERIFY_EXIT_CODES[AuditVerdict.Unverifiable];

function unableToVerify(error: CliError | ConfigError): number {
  const style = stderrStyle();
  printErrorLine(`${style.red("Error:")} ${error.message}`);
  if (error.hint !== undefined && error.hint !== "") printErrorLine(`  ${style.dim(error.hint)}`);
  return EXIT_UNVERIFIABLE;
}

export const verifyCommand = defineCommand({
  meta: { name: "verify", description: "Verify the hash chains of the audit logs (exit 0 intact, 1 tampered, 2 unable to verify)" },
  args: {
    proxy: { type: "string", alias: "p", description: "Only this proxy (default: every proxy)", valueHint: "name" },
    ...FILE_OPTION,
    json: { type: "boolean", description: "Print one JSON document (per proxy, per file)" },
  },
  run({ args }) {
    const files = selectedFiles(args.file);
    let targets: ProxyLogTarget[];
    try {
      targets = proxyLogTargets(appPaths(), args.proxy);
    } catch (error) {
      if (error instanceof CliError || error instanceof ConfigError) return unableToVerify(error);
      throw error;
    }
    if (targets.length === 0) {
      if (args.json === true) printJson({ verdict: AuditVerdict.Unverifiable, exit_code: EXIT_UNVERIFIABLE, proxies: [] });
      else printLine("No proxies configured; nothing to verify. Add one with 'mcp-acp proxy add'.");
      return EXIT_UNVERIFIABLE;
    }
    const paths = appPaths();
    let keyed: { target: ProxyLogTarget; key: ProxyAuditKey }[];
    try {
      keyed = targets.map((target) => ({ target, key: readProxyAuditKey(paths, target.name) }));
    } catch (error) {
      // A damaged key: nothing signed can be checked, which is not the same as tampering.
      if (error instanceof AuditError) return unableToVerify(auditKeyFailure(error));
      throw error;
    }
    const proxies: ProxyVerification[] = keyed.map(({ target, key }) => ({
      name: target.name,
      report: verifyLogDir(target.logDir, { ...(files === undefined ? {} : { files }), macKey: key.checking }),
    }));
    const verdict = overallVerdict(proxies);
    if (args.json === true) printJson(verificationJson(proxies, verdict));
    else printVerification(proxies, verdict, stdoutStyle());
    keyed.forEach(({ target, key }, i) => {
      if (key.existing === null && proxies[i]?.report.stateStatus === StateStoreStatus.Corrupted) {
        printErrorLine(`Proxy '${target.name}': its audit key ${key.path} is missing, so its integrity state rows cannot be checked (the key was deleted, or the state predates it).`);
      }
    });
    return VERIFY_EXIT_CODES[verdict];
  },
});
