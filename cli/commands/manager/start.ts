// `mcp-acp manager start [--port N] [--foreground]`: starts the manager daemon, unless one runs
// already (a warning, exit 0). In the background (the default) it waits up to 5 s for the new
// manager to answer and prints its pid and dashboard address; with --foreground it runs in this
// process until Ctrl+C.
import { defineCommand } from "citty";
import { loadManagerConfig } from "../../../lib/config/index.ts";
import { readManagerStatus } from "../../../services/manager/index.ts";
import { startManagerDaemon } from "../../../services/manager/daemon/index.ts";
import { appPaths } from "../../app-paths.ts";
import { EXIT_OK, failure } from "../../errors.ts";
import { printErrorLine, printLine, printSuccess, printWarning } from "../../ui/index.ts";
import { START_WAIT_MS, startInBackground } from "./background-start.ts";
import { asCliError, exitSoon, parsePort, portArg } from "./options.ts";

function printRunning(pid: number, uiUrl: string): void {
  printLine(`  PID:        ${pid}`);
  printLine(`  Dashboard:  ${uiUrl === "" ? "(not listening)" : uiUrl}`);
  printLine("  Sign in with 'mcp-acp manager open'; stop with 'mcp-acp manager stop'.");
}

async function runInForeground(port: number | undefined): Promise<number> {
  let daemon;
  try {
    daemon = await startManagerDaemon({ paths: appPaths(), foreground: true, ...(port !== undefined ? { port } : {}) });
  } catch (error) {
    throw asCliError(error);
  }
  printSuccess(`Manager running in the foreground; press Ctrl+C to stop.`);
  printRunning(daemon.pid, daemon.uiUrl);
  await daemon.stopped;
  return exitSoon(EXIT_OK);
}

export const startCommand = defineCommand({
  meta: { name: "start", description: "Start the manager daemon (dashboard and API)" },
  args: {
    port: portArg,
    foreground: { type: "boolean", alias: "f", description: "Run in this terminal instead of in the background" },
  },
  async run({ args }) {
    const port = parsePort(args.port);
    const paths = appPaths();
    const status = await readManagerStatus(paths);
    if (status.running) {
      printWarning(`The manager is already running (pid ${status.pid ?? "?"}).`);
      if (status.health !== undefined && status.health.uiUrl !== "") printErrorLine(`  Dashboard: ${status.health.uiUrl}`);
      return EXIT_OK;
    }
    if (args.foreground === true) return runInForeground(port);

    // A missing or broken manager.json is reported here, not as a daemon that died.
    loadManagerConfig(paths);

    const outcome = await startInBackground(status.socketPath, port);
    switch (outcome.status) {
      case "started":
        printSuccess("Manager started.");
        printRunning(outcome.pid, outcome.health.uiUrl);
        return EXIT_OK;
      case "other":
        printWarning(`The manager is already running (pid ${outcome.health.pid}); it was started meanwhile.`);
        return EXIT_OK;
      case "slow":
        printWarning(`The manager (pid ${outcome.pid}) is not responding yet after ${START_WAIT_MS / 1000} s; it may still be starting.`);
        printErrorLine("  Check with 'mcp-acp manager status'.");
        return EXIT_OK;
      case "exited": {
        if (outcome.stderr === "") {
          throw failure(`The manager exited unexpectedly (${outcome.exit}) while starting.`, "Run 'mcp-acp manager start --foreground' to see why.");
        }
        throw failure(`The manager exited unexpectedly (${outcome.exit}) while starting:\n${outcome.stderr.replace(/^/gm, "  ")}`);
      }
      case "spawn_failed":
        throw failure(`Could not start the manager process: ${outcome.reason}`);
    }
  },
});
