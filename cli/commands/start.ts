// `mcp-acp start --proxy NAME [--headless]`: runs one proxy between the MCP client on stdin/stdout
// and its backend. stdout carries nothing but MCP JSON-RPC, so every line this command prints —
// the proxy list, errors, hints — goes to stderr, on every path.
import { existsSync } from "node:fs";
import { defineCommand } from "citty";
import { listProxyNames, loadProxyConfig } from "../../lib/config/index.ts";
import { type AppPaths, managerConfigPath } from "../../lib/paths/index.ts";
// Deep imports: the runtime barrel also exports the control server, which the proxy loads only
// after the MCP handshake (start-up time).
import { isStartupError } from "../../services/proxy/runtime/errors.ts";
import { availableProxiesText } from "../../services/proxy/runtime/proxy-setup.ts";
import { runProxy } from "../../services/proxy/runtime/run-proxy.ts";
import { appPaths } from "../app-paths.ts";
import { EXIT_ERROR } from "../errors.ts";
import { printErrorLine, stderrStyle } from "../ui/index.ts";
import { backendSummary } from "./proxy/describe-proxy.ts";

/** After the run, stray handles (a paused stdin, an abandoned probe) must not keep us alive. */
const EXIT_GRACE_MS = 2000;

function printProxyList(paths: AppPaths): void {
  const names = listProxyNames(paths);
  if (names.length === 0) {
    printErrorLine(availableProxiesText(names));
  } else {
    printErrorLine("Configured proxies:");
    const width = Math.max(...names.map((n) => n.length));
    for (const name of names) {
      let backend: string;
      try {
        backend = backendSummary(loadProxyConfig(paths, name));
      } catch {
        backend = "(invalid configuration; see 'mcp-acp config validate')";
      }
      printErrorLine(`  ${name.padEnd(width)}  ${backend}`);
    }
  }
  printErrorLine();
  printErrorLine("Start a specific proxy with: mcp-acp start --proxy <name>");
}

function printStartupError(message: string, hint: string | undefined): void {
  const style = stderrStyle();
  printErrorLine(`${style.red("Error:")} ${message}`);
  if (hint !== undefined && hint !== "") printErrorLine(`  ${style.dim(hint)}`);
}

function exitSoon(code: number): number {
  setTimeout(() => process.exit(code), EXIT_GRACE_MS).unref();
  return code;
}

export const startCommand = defineCommand({
  meta: { name: "start", description: "Run a proxy on stdin/stdout (what an MCP client launches)" },
  args: {
    proxy: { type: "string", alias: "p", description: "The proxy to run (see 'mcp-acp proxy list')", valueHint: "name" },
    headless: {
      type: "boolean",
      description: "Run without a manager: do not start or attach to one; approvals only through 'mcp-acp approvals watch'",
    },
  },
  async run({ args }) {
    const paths = appPaths();
    if (args.proxy === undefined) {
      const manager = managerConfigPath(paths);
      if (!existsSync(manager)) printErrorLine(`Not initialized: ${manager} does not exist. Run 'mcp-acp init' first.`);
      printProxyList(paths);
      return EXIT_ERROR;
    }
    try {
      return exitSoon(await runProxy({ name: args.proxy, paths, headless: args.headless === true }));
    } catch (error) {
      if (!isStartupError(error)) throw error;
      printStartupError(error.message, error.hint);
      return exitSoon(error.exitCode);
    }
  },
});
