// `mcp-acp proxy add`: creates proxies/<name>/config.json and a deny-all policy.json.
import { defineCommand } from "citty";
import {
  assertNewProxyName,
  buildClientSnippet,
  buildProxyConfig,
  claudeDesktopConfigPath,
  findDuplicateBackends,
  formatSnippet,
  writeDefaultPolicy,
  writeProxyConfig,
} from "../../../lib/config/index.ts";
import { proxyConfigPath, type AppPaths } from "../../../lib/paths/index.ts";
import { appPaths } from "../../app-paths.ts";
import { CliError, CliErrorCode } from "../../errors.ts";
import { requireInitialized } from "../../proxy-lookup.ts";
import { isInteractive, printLine, printSuccess, printWarning, prompter } from "../../ui/index.ts";
import { collectAddInputs, TRANSPORT_CHOICES, type AddInputs } from "./add-inputs.ts";

export const addCommand = defineCommand({
  meta: { name: "add", description: "Add a proxy for a backend MCP server (prompts for missing values in a terminal)" },
  args: {
    name: { type: "string", alias: "n", description: "Proxy name (letters, digits, '-', '_'; max 64)", valueHint: "name" },
    "server-name": { type: "string", description: "Display name of the backend server", valueHint: "name" },
    transport: {
      type: "enum",
      options: [...TRANSPORT_CHOICES],
      description: "Backend transport (default: from --command/--url)",
    },
    command: { type: "string", description: "Command that starts a stdio backend", valueHint: "cmd" },
    args: { type: "string", description: 'Arguments for --command, comma separated ("-y,@scope/pkg,/tmp")', valueHint: "a,b" },
    url: { type: "string", description: "URL of a streamable HTTP backend", valueHint: "url" },
    timeout: { type: "string", description: "HTTP backend timeout in seconds, 1-300 (default 30)", valueHint: "seconds" },
    "mtls-cert": { type: "string", description: "Client certificate (PEM) for mTLS to the backend", valueHint: "file" },
    "mtls-key": { type: "string", description: "Client private key (PEM, unencrypted)", valueHint: "file" },
    "mtls-ca": { type: "string", description: "CA bundle (PEM) that signed the backend's certificate", valueHint: "file" },
    "attestation-sha256": { type: "string", description: "Expected SHA-256 of the stdio backend binary", valueHint: "hex" },
    yes: { type: "boolean", alias: "y", description: "Do not ask for confirmation" },
  },
  async run({ args }) {
    const paths = appPaths();
    requireInitialized(paths);
    const inputs = await collectAddInputs(paths, {
      name: args.name,
      serverName: args["server-name"],
      transport: args.transport,
      command: args.command,
      args: args.args,
      url: args.url,
      timeout: args.timeout,
      mtlsCert: args["mtls-cert"],
      mtlsKey: args["mtls-key"],
      mtlsCa: args["mtls-ca"],
      attestationSha256: args["attestation-sha256"],
    });
    await confirmDuplicateBackend(paths, inputs, args.yes === true);

    // Re-check: prompts take time and another `proxy add` may have taken the name meanwhile.
    assertNewProxyName(paths, inputs.name);

    const file = proxyConfigPath(paths, inputs.name);
    const config = buildProxyConfig(inputs, file);
    writeProxyConfig(paths, inputs.name, config);
    const policyFile = writeDefaultPolicy(paths, inputs.name);

    printSuccess(`Proxy '${inputs.name}' created`);
    printLine(`  Config: ${file}`);
    printLine(`  Policy: ${policyFile} (denies every request until you add rules)`);
    printLine();
    printLine("Add this to your MCP client configuration:");
    process.stdout.write(formatSnippet(buildClientSnippet([inputs.name])));
    printLine();
    printLine(`Claude Desktop reads it from: ${claudeDesktopConfigPath()}`);
  },
});

/** Warns when another proxy has the same backend; in a terminal without --yes, asks. */
async function confirmDuplicateBackend(paths: AppPaths, inputs: AddInputs, yes: boolean): Promise<void> {
  const duplicates = findDuplicateBackends(paths, {
    ...(inputs.stdio !== undefined ? { stdio: inputs.stdio } : {}),
    ...(inputs.http !== undefined ? { url: inputs.http.url } : {}),
  });
  if (duplicates.length === 0) return;
  const names = duplicates.map((n) => `'${n}'`).join(", ");
  printWarning(duplicates.length === 1 ? `Proxy ${names} already uses the same backend.` : `Proxies ${names} already use the same backend.`);
  if (yes || !isInteractive()) return;
  if (!(await prompter().confirm("Continue anyway?", true))) {
    throw new CliError(CliErrorCode.Aborted, "Cancelled: no proxy was created.");
  }
}
