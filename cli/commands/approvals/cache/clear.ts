// `mcp-acp approvals cache clear [--proxy NAME] [--json]`: forget every cached approval, so the
// next matching request asks a human again.
import { defineCommand } from "citty";
import { appPaths } from "../../../app-paths.ts";
import { EXIT_ERROR, EXIT_OK } from "../../../errors.ts";
import { printJson, printLine, printSuccess } from "../../../ui/index.ts";
import { countOf } from "../../logs/format.ts";
import { answersOrFail, askEach, closeAll, PROXY_FILTER_OPTION, reachProxies, viaField } from "../targets.ts";

export const cacheClearCommand = defineCommand({
  meta: { name: "clear", description: "Empty the approval cache of one proxy, or of every running proxy" },
  args: {
    ...PROXY_FILTER_OPTION,
    json: { type: "boolean", description: "Print one JSON document: {proxies: [{name, cleared}]}" },
  },
  async run({ args }) {
    const targets = await reachProxies(appPaths(), args.proxy);
    try {
      const answers = await askEach(targets, (route) => route.clearCached());
      const { values, failures } = answersOrFail(targets, answers, "clear cached approvals", "ClearCached");
      if (args.json === true) {
        printJson({ proxies: values.map(({ proxy, value }) => ({ name: proxy, cleared: value, ...viaField(targets, proxy) })) });
      } else if (values.length === 0 && failures.length === 0) {
        printLine("No proxy is running, so there is no cache to clear.");
      } else {
        for (const { proxy, value } of values) printSuccess(`Cleared ${countOf(value, "cached approval")} on proxy '${proxy}'.`);
      }
      return failures.length > 0 ? EXIT_ERROR : EXIT_OK;
    } finally {
      closeAll(targets);
    }
  },
});
