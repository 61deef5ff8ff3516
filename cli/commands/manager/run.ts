// `mcp-acp manager run [--port N]` (hidden): the manager daemon in the foreground, until SIGTERM,
// SIGINT or the idle shutdown. What auto-start and `manager start` spawn; log lines go to stderr
// when it is a terminal, and always to <log_dir>/mcp-acp/manager/system.jsonl.
import { defineCommand } from "citty";
import { startManagerDaemon } from "../../../services/manager/daemon/index.ts";
import { appPaths } from "../../app-paths.ts";
import { EXIT_OK } from "../../errors.ts";
import { asCliError, exitSoon, parsePort, portArg } from "./options.ts";

export const runCommand = defineCommand({
  meta: { name: "run", description: "Run the manager daemon in the foreground (used by auto-start)", hidden: true },
  args: { port: portArg },
  async run({ args }) {
    const port = parsePort(args.port);
    let daemon;
    try {
      daemon = await startManagerDaemon({
        paths: appPaths(),
        foreground: process.stderr.isTTY === true,
        ...(port !== undefined ? { port } : {}),
      });
    } catch (error) {
      throw asCliError(error);
    }
    await daemon.stopped;
    return exitSoon(EXIT_OK);
  },
});
