// `mcp-acp manager open [--no-browser]`: the dashboard address with a fresh single-use login code,
// asked of the running manager over api.sock. The code works once, for about a minute; opening
// the address trades it for the API token cookie. Opens the browser when an opener exists.
import { defineCommand } from "citty";
import { ManagerService } from "../../../lib/gen/mcpacp/api/v1/manager_service_pb.ts";
import { apiSocketPath } from "../../../lib/paths/index.ts";
import { readManagerStatus } from "../../../services/manager/index.ts";
import { appPaths } from "../../app-paths.ts";
import { EXIT_OK, failure } from "../../errors.ts";
import { printErrorLine, printLine } from "../../ui/index.ts";
import { API_CALL_TIMEOUT_MS, apiCallFailure, managerApiClient } from "./api-client.ts";
import { openInBrowser } from "./browser.ts";

export const openCommand = defineCommand({
  meta: { name: "open", description: "Open the dashboard (prints a sign-in link that works once)" },
  args: {
    "no-browser": { type: "boolean", description: "Only print the link; do not start a browser" },
  },
  async run({ args }) {
    const paths = appPaths();
    const status = await readManagerStatus(paths);
    if (status.health === undefined) {
      throw status.running
        ? failure(`The manager (pid ${status.pid ?? "?"}) does not answer on ${status.socketPath}.`, "Restart it: 'mcp-acp manager stop', then 'mcp-acp manager start'.")
        : failure("The manager is not running.", "Start it with 'mcp-acp manager start'.");
    }
    const socket = status.health.apiSocket || apiSocketPath(paths);
    let loginUrl: string;
    try {
      loginUrl = (await managerApiClient(ManagerService, socket).issueLoginCode({}, { timeoutMs: API_CALL_TIMEOUT_MS })).loginUrl;
    } catch (error) {
      throw apiCallFailure(error, "get a dashboard sign-in link", socket);
    }
    const opened = args["no-browser"] !== true && openInBrowser(loginUrl);
    printErrorLine(opened ? "Opening the dashboard in your browser. The link works once, for about a minute:" : "Open this link in your browser; it works once, for about a minute:");
    printLine(loginUrl);
    return EXIT_OK;
  },
});
