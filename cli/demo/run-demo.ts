// `bun run demo` / `mcp-acp demo`: sets up a demo home, starts the proxy exactly as an MCP
// client would (the command `install mcp-json` prints), drives it with the SDK client, and
// prints every call with the proxy's decision. Exit 0 only when every call behaved as the
// policy says, so the demo doubles as an end-to-end smoke test.
import { writeFileSync } from "node:fs";
import { userInfo } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { HOME_ENV_VAR } from "../../lib/paths/index.ts";
import { buildClientSnippet, currentLauncher, type McpServerEntry } from "../../lib/config/index.ts";
import { EXIT_ERROR, EXIT_OK, failure } from "../errors.ts";
import { createStyle, type Style } from "../ui/index.ts";
import { VERSION } from "../version.ts";
import { listBackendTools } from "./backend-tools.ts";
import { DecisionFeed } from "./decision-feed.ts";
import { trackRequestIds } from "./request-ids.ts";
import { setUpDemo, type DemoSetup } from "./setup.ts";
import { shellCommand, shellQuote } from "./shell-quote.ts";
import { demoSteps, type StepContext, type StepOutcome } from "./steps.ts";
import { renderTable, type TableRow } from "./table.ts";
import { VERDICT_LABEL } from "./verdict.ts";
import { runDashboardTour } from "./dashboard-tour.ts";

/** The proxy's switch for "attach to a running manager, never start one" (services/proxy/runtime). */
const NO_AUTOSTART_ENV = "MCP_ACP_NO_AUTOSTART";

export interface DemoOptions {
  /** The demo home (becomes MCP_ACP_HOME for everything the demo starts). */
  home: string;
  /** Environment for the processes the demo starts. */
  env: Record<string, string | undefined>;
  /** Where the report goes (default stdout). */
  write?: (text: string) => void;
  color?: boolean;
  /** Terminal width for the table (default 120). */
  columns?: number;
  /**
   * After the tour, start the manager, print the dashboard link and hold one write for a person
   * to approve in the browser, until `stopped` resolves (Ctrl-C).
   */
  dashboard?: { stopped: Promise<void> };
}

/** Name of the file in the demo home that keeps the proxy's stderr of the last run. */
export const PROXY_STDERR_FILE = "demo-proxy-stderr.log";

function definedEnv(env: Record<string, string | undefined>, home: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) out[key] = value;
  out[HOME_ENV_VAR] = home;
  return out;
}

function colourFor(style: Style): (decision: string, text: string) => string {
  return (decision, text) => {
    if (decision === VERDICT_LABEL.allowed) return style.green(text);
    if (decision === VERDICT_LABEL.hidden || decision === VERDICT_LABEL.protected) return style.yellow(text);
    return style.red(text);
  };
}

async function connectThroughProxy(launch: McpServerEntry, env: Record<string, string>) {
  const transport = new StdioClientTransport({ command: launch.command, args: launch.args, env, stderr: "pipe" });
  const feed = new DecisionFeed(transport.stderr);
  const ids = trackRequestIds(transport);
  const client = new Client({ name: "mcp-acp-demo", version: VERSION });
  try {
    await client.connect(transport);
  } catch (error) {
    await Bun.sleep(200); // let the proxy's last stderr lines arrive
    const tail = feed.tail(15).join("\n");
    throw failure(
      `The demo proxy did not answer initialize: ${error instanceof Error ? error.message : String(error)}`,
      tail === "" ? "The proxy wrote nothing on stderr." : `The proxy's last words:\n${tail}`,
    );
  }
  return { client, feed, ids };
}

async function runStep(run: () => Promise<StepOutcome>): Promise<StepOutcome> {
  try {
    return await run();
  } catch (error) {
    return { verdict: null, why: "?", result: "", problems: [`the call failed: ${error instanceof Error ? error.message : String(error)}`] };
  }
}

export async function runDemo(options: DemoOptions): Promise<number> {
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  const line = (text = "") => write(`${text}\n`);
  const style = createStyle(options.color ?? false);
  const env = definedEnv(options.env, options.home);
  // The tour's proxy must not start a manager of its own; the dashboard part starts one itself.
  const tourEnv = { ...env, [NO_AUTOSTART_ENV]: "1" };

  const setup = setUpDemo(options.home);
  const launch = buildClientSnippet([setup.proxyName]).mcpServers[setup.proxyName] as McpServerEntry;
  line(style.bold(`mcp-acp demo — proxy '${setup.proxyName}' in front of @modelcontextprotocol/server-filesystem`));
  line(`  Home:     ${setup.home}  (MCP_ACP_HOME: the real home directory is not touched)`);
  line(`  Sandbox:  ${setup.sandbox}  (the paths below are relative to it)`);
  line(`  Policy:   ${setup.policy.rules.length} rules, ${setup.policyPath}`);
  line(`  Client:   SDK client launching ${shellCommand([launch.command, ...launch.args])}`);
  line();

  const backendTools = await listBackendTools(setup.backend, env);
  const { client, feed, ids } = await connectThroughProxy(launch, tourEnv);
  const rows: TableRow[] = [];
  const problems: string[] = [];
  try {
    const ctx: StepContext = { client, feed, ids, setup, backendTools, subjectId: userInfo().username };
    for (const step of demoSteps(setup)) {
      const outcome = await runStep(() => step.run(ctx));
      const ok = outcome.problems.length === 0;
      rows.push({
        ok,
        call: step.call,
        decision: outcome.verdict === null ? "?" : VERDICT_LABEL[outcome.verdict],
        why: outcome.why,
        result: outcome.result,
      });
      for (const p of outcome.problems) problems.push(`${step.call}: ${p}`);
    }
  } finally {
    await client.close().catch(() => {});
    await Bun.sleep(50); // the proxy's goodbye lines
    saveProxyStderr(setup, feed);
  }

  for (const text of renderTable(rows, style, colourFor(style), options.columns ?? 120)) line(text);
  line();
  if (problems.length === 0) {
    line(style.green(`Every call behaved as the policy says (${rows.length} of ${rows.length}).`));
  } else {
    line(style.red(`${problems.length} problem${problems.length === 1 ? "" : "s"}: the proxy did not behave as the policy says.`));
    for (const p of problems) line(`  - ${p}`);
  }
  line();
  printWhereThingsAre(setup, launch, line);
  if (problems.length > 0) return EXIT_ERROR;
  if (options.dashboard === undefined) return EXIT_OK;
  line();
  const { [NO_AUTOSTART_ENV]: _ignored, ...dashboardEnv } = env;
  return runDashboardTour({ setup, launch, env: dashboardEnv, line, style, stopped: options.dashboard.stopped });
}

function saveProxyStderr(setup: DemoSetup, feed: DecisionFeed): void {
  try {
    writeFileSync(join(setup.home, PROXY_STDERR_FILE), `${feed.allLines().join("\n")}\n`, { mode: 0o600 });
  } catch {
    // Only a convenience for reading later; the report itself is complete without it.
  }
}

function printWhereThingsAre(setup: DemoSetup, launch: McpServerEntry, line: (text?: string) => void): void {
  const home = `${HOME_ENV_VAR}=${shellQuote(setup.home)}`;
  line("Where things are:");
  line(`  Proxy config:  ${setup.configPath}`);
  line(`  Policy:        ${setup.policyPath}`);
  line(`  Proxy logs:    ${setup.logDir}`);
  line(`  Proxy stderr:  ${join(setup.home, PROXY_STDERR_FILE)}  (banner and every decision record of this run)`);
  line();
  line("Start the proxy by hand (it speaks MCP JSON-RPC on stdin/stdout; Ctrl-C stops it):");
  line(`  ${home} ${shellCommand([launch.command, ...launch.args])}`);
  const cli = currentLauncher();
  line(`Print the MCP client snippet for it (add "env": {"${HOME_ENV_VAR}": …} to it, or the proxy looks in your real home):`);
  line(`  ${home} ${shellCommand([cli.command, ...cli.entryArgs, "install", "mcp-json", "--proxy", setup.proxyName])}`);
}
