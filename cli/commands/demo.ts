// `mcp-acp demo`: the guided tour (cli/demo). Runs under the demo home, never the real one.
import { defineCommand } from "citty";
import { resolveDemoHome, runDemo } from "../demo/index.ts";
import { colorEnabled } from "../ui/index.ts";

export const demoCommand = defineCommand({
  meta: {
    name: "demo",
    description: "Run a proxy in front of the reference filesystem server with a sample policy and show each decision",
  },
  args: {
    home: {
      type: "string",
      description: "Demo folder, used as MCP_ACP_HOME (default: $MCP_ACP_HOME, else .demo in the mcp-acp checkout)",
      valueHint: "dir",
    },
  },
  async run({ args }) {
    return runDemo({
      home: resolveDemoHome(process.env, args.home),
      env: process.env,
      color: colorEnabled(process.stdout),
      columns: process.stdout.isTTY === true ? process.stdout.columns : undefined,
    });
  },
});
