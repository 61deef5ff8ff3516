// `mcp-acp approvals cache list [--proxy NAME] [--json]`: what each running proxy allows without
// asking, because someone approved it with "allow and cache".
import { defineCommand } from "citty";
import { create } from "@bufbuild/protobuf";
import { type CachedApprovals, CachedApprovalsSchema } from "../../../../lib/gen/mcpacp/common/v1/approval_pb.ts";
import { appPaths } from "../../../app-paths.ts";
import { EXIT_ERROR, EXIT_OK } from "../../../errors.ts";
import { printJson, printLine, stdoutStyle } from "../../../ui/index.ts";
import { printable } from "../../policy/describe-rule.ts";
import { approverText, cachedJson, formatSeconds } from "../format.ts";
import { answersOrFail, askEach, closeAll, PROXY_FILTER_OPTION, reachProxies, viaField } from "../targets.ts";

function printCache(proxy: string, cached: CachedApprovals): void {
  const style = stdoutStyle();
  const count = cached.approvals.length;
  const ttl = `TTL ${formatSeconds(cached.ttlSeconds)}`;
  if (count === 0) {
    printLine(`No cached approvals on proxy '${proxy}' (${ttl}).`);
    return;
  }
  printLine(style.bold(`Cached approvals on proxy '${proxy}' (${count}, ${ttl}):`));
  for (const entry of cached.approvals) {
    const path = entry.path === "" ? "(any path)" : printable(entry.path);
    const left = entry.expiresInSeconds <= 0 ? "expired" : `expires in ${formatSeconds(entry.expiresInSeconds)}`;
    printLine(`  ${printable(entry.subjectId)}  ${printable(entry.toolName)}  ${path}  ${left}  ${style.dim(`allowed by ${approverText(entry.approver)}`)}`);
  }
}

export const cacheListCommand = defineCommand({
  meta: { name: "list", description: "List cached approvals (subject, tool, path) of the running proxies" },
  args: {
    ...PROXY_FILTER_OPTION,
    json: { type: "boolean", description: "Print one JSON document: {proxies: [{name, ttl_seconds, approvals}]}" },
  },
  async run({ args }) {
    const targets = await reachProxies(appPaths(), args.proxy);
    try {
      const answers = await askEach(targets, (route) => route.listCached());
      const { values, failures } = answersOrFail(targets, answers, "list cached approvals", "ListCached");
      if (args.json === true) {
        printJson({
          proxies: values.map(({ proxy, value }) => ({
            name: proxy,
            ttl_seconds: value?.ttlSeconds ?? 0,
            approvals: (value?.approvals ?? []).map(cachedJson),
            ...viaField(targets, proxy),
          })),
        });
      } else if (values.length === 0 && failures.length === 0) {
        printLine("No proxy is running, so nothing is cached.");
      } else {
        values.forEach(({ proxy, value }, i) => {
          if (i > 0) printLine();
          printCache(proxy, value ?? create(CachedApprovalsSchema));
        });
      }
      return failures.length > 0 ? EXIT_ERROR : EXIT_OK;
    } finally {
      closeAll(targets);
    }
  },
});
