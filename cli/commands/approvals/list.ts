// `mcp-acp approvals list [--proxy NAME] [--json]`: the approvals waiting for a human on every
// running proxy (or one), oldest first, with what each request would do.
import { defineCommand } from "citty";
import type { PendingApproval } from "../../../lib/gen/mcpacp/common/v1/approval_pb.ts";
import { appPaths } from "../../app-paths.ts";
import { EXIT_ERROR, EXIT_OK } from "../../errors.ts";
import { printJson, printLine, stdoutStyle } from "../../ui/index.ts";
import { approvalJson, approvalRows, byCreation, expiresText } from "./format.ts";
import { answersOrFail, askEach, closeAll, PROXY_FILTER_OPTION, reachProxies, viaField } from "./targets.ts";

interface Listed {
  proxy: string;
  approval: PendingApproval;
}

function printApprovals(listed: Listed[], proxiesAsked: number): void {
  const style = stdoutStyle();
  if (listed.length === 0) {
    printLine(proxiesAsked === 0 ? "No pending approvals: no proxy is running." : "No pending approvals.");
    return;
  }
  printLine(style.bold(`Pending approvals (${listed.length}):`));
  const now = Date.now();
  for (const { proxy, approval } of listed) {
    printLine();
    const expires = expiresText(approval, now);
    printLine(`  ${style.bold(approval.id)}  proxy '${proxy}'${expires === "" ? "" : ` · ${expires}`}`);
    const rows = approvalRows(approval);
    const width = Math.max(...rows.map(([label]) => label.length)) + 1;
    for (const [label, value] of rows) printLine(`    ${`${label}:`.padEnd(width)} ${value}`);
  }
  printLine();
  printLine(style.dim("Allow with 'mcp-acp approvals approve <id> [--cache]', deny with 'mcp-acp approvals deny <id>'."));
}

export const listCommand = defineCommand({
  meta: { name: "list", description: "List approvals waiting for a human on the running proxies, oldest first" },
  args: {
    ...PROXY_FILTER_OPTION,
    json: { type: "boolean", description: "Print one JSON document: {approvals, proxies} (a proxy answered for by the manager has via: \"manager\")" },
  },
  async run({ args }) {
    const targets = await reachProxies(appPaths(), args.proxy);
    try {
      const answers = await askEach(targets, (route) => route.listPending());
      const { values, failures } = answersOrFail(targets, answers, "list pending approvals", "ListPending");
      const listed: Listed[] = values
        .flatMap(({ proxy, value }) => value.map((approval) => ({ proxy, approval })))
        .sort((a, b) => byCreation(a.approval, b.approval));
      if (args.json === true) {
        const running = new Set(targets.routes.map((r) => r.name));
        const failed = new Map(failures.map((f) => [f.proxy, f.message]));
        printJson({
          approvals: listed.map(({ proxy, approval }) => approvalJson(approval, proxy)),
          proxies: targets.names.map((name) => ({
            name,
            running: running.has(name),
            ...viaField(targets, name),
            ...(failed.has(name) ? { error: failed.get(name) } : {}),
          })),
        });
      } else if (values.length > 0 || failures.length === 0) {
        // When no proxy could answer, the warnings say so; "No pending approvals" would be a guess.
        printApprovals(listed, targets.routes.length);
      }
      return failures.length > 0 ? EXIT_ERROR : EXIT_OK;
    } finally {
      closeAll(targets);
    }
  },
});
