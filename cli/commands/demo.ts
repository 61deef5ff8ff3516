// `mcp-acp demo`: the guided tour (cli/demo). Runs under the demo home, never the real one.
import { defineCommand } from "citty";
import { resolveDemoHome, runDemo } from "../demo/index.ts";
import { colorEnabled } from "../ui/index.ts";

/** Resolves on the first Ctrl-C (or SIGTERM); the demo then closes everything it started. */
function untilInterrupted(): Promise<void> {
  return new Promise((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });
}

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
    dashboard: {
      type: "boolean",
      description: "Then start the manager, print the dashboard link and hold one write for you to approve there, until Ctrl-C (default: on in a terminal; --no-dashboard to skip)",
    },
  },
  async run({ args }) {
    return runDemo({
      home: resolveDemoHome(process.env, args.home),
      env: process.env,
      color: colorEnabled(process.stdout),
      columns: process.stdout.isTTY === true ? process.stdout.columns : undefined,
      ...((args.dashboard ?? process.stdout.isTTY === true) ? { dashboard: { stopped: untilInterrupted() } } : {}),
    });
  },
});
