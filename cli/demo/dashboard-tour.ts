// The demo's second half: starts the manager on a free loopback port, prints a one-time dashboard
// link, waits until a browser has the dashboard open (only then can a human be asked), sends one
// write the sample policy holds for approval, reports what the person decided, and keeps the
// dashboard up until Ctrl-C.
import * as net from "node:net";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { McpServerEntry } from "../../lib/config/index.ts";
import { ManagerService } from "../../lib/gen/mcpacp/api/v1/manager_service_pb.ts";
import { ProxyControl } from "../../lib/gen/mcpacp/control/v1/control_pb.ts";
import { ensureManagerRunning } from "../../lib/manager-client/index.ts";
import { apiSocketPath, controlSocketPath } from "../../lib/paths/index.ts";
import { createGrpcClient } from "../../lib/rpc/index.ts";
import { stopManager } from "../../services/manager/index.ts";
import { managerApiClient } from "../commands/manager/api-client.ts";
import { CLI_ENTRY } from "../commands/manager/cli-entry.ts";
import { EXIT_ERROR, EXIT_OK } from "../errors.ts";
import type { Style } from "../ui/index.ts";
import { VERSION } from "../version.ts";
import { WRITE_TARGET } from "./sandbox.ts";
import type { DemoSetup } from "./setup.ts";

export interface DashboardTourOptions {
  setup: DemoSetup;
  launch: McpServerEntry;
  env: Record<string, string>;
  line: (text?: string) => void;
  style: Style;
  /** Resolves when the demo should end (Ctrl-C). */
  stopped: Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address !== null ? address.port : 0));
    });
  });
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Resolves true once the proxy counts an approver as present, false when `stopped` came first. */
async function untilApproverPresent(socket: string, stopped: Promise<void>): Promise<boolean> {
  let done = false;
  void stopped.then(() => (done = true));
  const control = createGrpcClient(ProxyControl, socket);
  try {
    while (!done) {
      const info = await control.getInfo({}).catch(() => null);
      if (info?.info?.approverAvailable === true) return true;
      await Bun.sleep(250);
    }
    return false;
  } finally {
    control.close();
  }
}

function resultText(result: unknown): string {
  const content = (result as { content?: { text?: string }[] }).content ?? [];
  return content.map((c) => c.text ?? "").join("");
}

export async function runDashboardTour(options: DashboardTourOptions): Promise<number> {
  const { setup, launch, line, style } = options;
  const port = await freePort();
  const started = await ensureManagerRunning({ paths: setup.paths, cliEntry: CLI_ENTRY, args: ["--port", String(port)], env: options.env });
  if (started.status === "failed") {
    line(style.red(`The manager did not start: ${started.reason}`));
    return EXIT_ERROR;
  }
  let loginUrl: string;
  try {
    loginUrl = (await managerApiClient(ManagerService, apiSocketPath(setup.paths)).issueLoginCode({})).loginUrl;
  } catch (error) {
    line(style.red(`The manager did not give a dashboard link: ${describe(error)}`));
    await stopManager(setup.paths).catch(() => {});
    return EXIT_ERROR;
  }
  line(style.bold("The dashboard"));
  line(`  Open this link in your browser (it works once, for about a minute; 'mcp-acp manager open' makes a new one):`);
  line(`  ${loginUrl}`);

  const transport = new StdioClientTransport({ command: launch.command, args: launch.args, env: options.env, stderr: "ignore" });
  const client = new Client({ name: "mcp-acp-demo", version: VERSION });
  try {
    await client.connect(transport);
    line("  Waiting for the dashboard to open (a write can only wait for a person while one is watching)…");
    if (!(await untilApproverPresent(controlSocketPath(setup.paths, setup.proxyName), options.stopped))) return EXIT_OK;
    const target = join(setup.sandbox, WRITE_TARGET);
    line(style.yellow(`  A write is waiting for your approval: write_file ${WRITE_TARGET}. Allow or deny it in the dashboard.`));
    const write = client.callTool({ name: "write_file", arguments: { path: target, content: "- buy milk\n" } }, undefined, { timeout: 24 * 3600_000 });
    const outcome = await Promise.race([write.then((r) => ({ result: r }), (e: unknown) => ({ error: e })), options.stopped.then(() => null)]);
    if (outcome !== null) {
      if ("error" in outcome) line(style.red(`  The write failed: ${describe(outcome.error)}`));
      else if (outcome.result.isError === true) line(style.red(`  Refused: ${resultText(outcome.result)}`));
      else line(style.green(`  Approved: the backend wrote ${WRITE_TARGET} (${resultText(outcome.result)})`));
      line("  The dashboard stays up: look at the proxy, its logs and its policy. Press Ctrl-C to stop the demo.");
      await options.stopped;
    }
    return EXIT_OK;
  } finally {
    await client.close().catch(() => {});
    await stopManager(setup.paths).catch(() => {});
    line("Demo stopped; the manager is stopped too.");
  }
}
