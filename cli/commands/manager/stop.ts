// `mcp-acp manager stop`: SIGTERM to the running manager, then up to 5 s for it to finish its
// shutdown (socket and PID file gone). Not running: a message, exit 0. Still alive: exit 1.
import { defineCommand } from "citty";
import { ManagerError, ManagerErrorCode } from "../../../lib/manager-client/index.ts";
import { stopManager } from "../../../services/manager/index.ts";
import { appPaths } from "../../app-paths.ts";
import { EXIT_OK } from "../../errors.ts";
import { printLine, printSuccess } from "../../ui/index.ts";
import { asCliError } from "./options.ts";

export const stopCommand = defineCommand({
  meta: { name: "stop", description: "Stop the manager daemon" },
  args: {},
  async run() {
    try {
      const { pid } = await stopManager(appPaths());
      printSuccess(`Manager stopped (pid ${pid}).`);
      return EXIT_OK;
    } catch (error) {
      if (error instanceof ManagerError && error.code === ManagerErrorCode.NotRunning) {
        printLine(error.message);
        return EXIT_OK;
      }
      throw asCliError(error);
    }
  },
});
