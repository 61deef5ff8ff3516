// `mcp-acp audit verify [--proxy NAME] [--file F|all] [--json]`: checks the hash chains of the
// chained logs against the integrity state, offline, with the proxy's own verifier. Exit 0 intact,
// 1 tampered, 2 unable to verify (also when there is nothing to verify, the proxy is unknown or
// mcp-acp is not initialised: a script must never read those as "tampered").
import { defineCommand } from "citty";
import { ConfigError } from "../../../lib/config/index.ts";
import { VERIFY_EXIT_CODES, AuditVerdict, verifyLogDir } from "../../../lib/audit/index.ts";
import { appPaths } from "../../app-paths.ts";
import { CliError } from "../../errors.ts";
import { printErrorLine, printJson, printLine, stderrStyle, stdoutStyle } from "../../ui/index.ts";
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
    const proxies: ProxyVerification[] = targets.map((t) => ({ name: t.name, report: verifyLogDir(t.logDir, files === undefined ? {} : { files }) }));
    const verdict = overallVerdict(proxies);
    if (args.json === true) printJson(verificationJson(proxies, verdict));
    else printVerification(proxies, verdict, stdoutStyle());
    return VERIFY_EXIT_CODES[verdict];
  },
});
