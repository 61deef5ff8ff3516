// `mcp-acp policy path --proxy NAME`: the absolute path of the proxy's policy.json.
import { defineCommand } from "citty";
import { appPaths } from "../../app-paths.ts";
import { printLine } from "../../ui/index.ts";
import { policyLocation } from "./policy-file.ts";
import { PROXY_OPTION } from "./proxy-option.ts";

export const pathCommand = defineCommand({
  meta: { name: "path", description: "Print the path of a proxy's policy.json" },
  args: { ...PROXY_OPTION },
  run({ args }) {
    printLine(policyLocation(appPaths(), args.proxy).file);
  },
});
