// Collects what `proxy add` needs from flags and, in a terminal, from prompts for what is
// missing. Flag values are checked once (exit 1 when bad); prompted answers are re-asked.
// Without a terminal a missing value is a usage error naming the flag.
import {
  assertNewProxyName,
  ConfigError,
  DEFAULT_HTTP_TIMEOUT_SECONDS,
  HTTP_TIMEOUT_MAX,
  HTTP_TIMEOUT_MIN,
  normalizeSha256,
  type NewProxyInputs,
  type ProxyConfig,
} from "../../../lib/config/index.ts";
import type { AppPaths } from "../../../lib/paths/index.ts";
import { failure, usageError } from "../../errors.ts";
import { parseIntegerOption } from "../../option-values.ts";
import { isInteractive, prompter, type AnswerValidator } from "../../ui/index.ts";
import { nonEmptyProblem, parseBackendArgs, urlProblem } from "./backend-values.ts";
import { resolveMtls } from "./mtls-files.ts";

export type BackendTransport = ProxyConfig["backend"]["transport"];
export type TransportChoice = "stdio" | "http" | "auto";

export const TRANSPORT_CHOICES: readonly TransportChoice[] = ["stdio", "http", "auto"];

export interface AddFlags {
  name: string | undefined;
  serverName: string | undefined;
  transport: TransportChoice | undefined;
  command: string | undefined;
  args: string | undefined;
  url: string | undefined;
  timeout: string | undefined;
  mtlsCert: string | undefined;
  mtlsKey: string | undefined;
  mtlsCa: string | undefined;
  attestationSha256: string | undefined;
}

export interface AddInputs extends NewProxyInputs {
  name: string;
}

export function toTransport(choice: TransportChoice): BackendTransport {
  return choice === "http" ? "streamablehttp" : choice;
}

/** Name rules plus case-insensitive uniqueness (lib/config), as a message for re-asking. */
export function newProxyNameProblem(paths: AppPaths, name: string): string | undefined {
  try {
    assertNewProxyName(paths, name);
    return undefined;
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
}

/** A flag's value, checked; or the prompted answer; or a usage error when nobody can answer. */
async function value(
  flagValue: string | undefined,
  flag: string,
  question: string,
  problem: AnswerValidator,
  promptDefault?: string,
): Promise<string> {
  if (flagValue !== undefined) {
    const bad = problem(flagValue);
    if (bad !== undefined) throw failure(bad, `Check the value of ${flag}.`);
    return flagValue.trim();
  }
  if (!isInteractive()) throw usageError(`Missing required option ${flag}.`);
  return prompter().ask(question, { validate: problem, ...(promptDefault !== undefined ? { default: promptDefault } : {}) });
}

async function chooseTransport(flags: AddFlags): Promise<BackendTransport> {
  if (flags.transport !== undefined) return toTransport(flags.transport);
  if (flags.command !== undefined && flags.url !== undefined) return "auto";
  if (flags.command !== undefined) return "stdio";
  if (flags.url !== undefined) return "streamablehttp";
  if (!isInteractive()) throw usageError("Missing required option --command (stdio backend) or --url (HTTP backend).");
  return toTransport(await prompter().choose("Backend transport:", TRANSPORT_CHOICES, 0));
}

function rejectOptionsFor(transport: BackendTransport, flags: AddFlags): void {
  const stdioOnly = { "--command": flags.command, "--args": flags.args, "--attestation-sha256": flags.attestationSha256 };
  const httpOnly = {
    "--url": flags.url,
    "--timeout": flags.timeout,
    "--mtls-cert": flags.mtlsCert,
    "--mtls-key": flags.mtlsKey,
    "--mtls-ca": flags.mtlsCa,
  };
  const used = (group: Record<string, string | undefined>): string[] =>
    Object.keys(group).filter((flag) => group[flag] !== undefined);
  if (transport === "streamablehttp" && used(stdioOnly).length > 0) {
    throw usageError(`${used(stdioOnly).join(", ")} cannot be used with --transport http (they configure a stdio backend).`);
  }
  if (transport === "stdio" && used(httpOnly).length > 0) {
    throw usageError(`${used(httpOnly).join(", ")} cannot be used with --transport stdio (they configure an HTTP backend).`);
  }
}

async function collectStdio(flags: AddFlags): Promise<AddInputs["stdio"]> {
  const command = await value(flags.command, "--command", "Command that starts the MCP server (e.g. npx)", nonEmptyProblem("The command"));
  let args: string[] = [];
  if (flags.args !== undefined) args = parseBackendArgs(flags.args);
  else if (flags.command === undefined) {
    args = parseBackendArgs(await prompter().ask("Arguments, comma separated (empty for none)", { default: "" }));
  }
  let sha256: string | undefined;
  if (flags.attestationSha256 !== undefined) {
    sha256 = normalizeSha256(flags.attestationSha256);
    if (sha256 === undefined) {
      throw failure(
        `Invalid --attestation-sha256 '${flags.attestationSha256}': expected 64 hexadecimal characters.`,
        "Compute it with: sha256sum $(command -v <binary>)",
      );
    }
  }
  return { command, args, sha256 };
}

async function collectHttp(flags: AddFlags): Promise<AddInputs["http"]> {
  const url = await value(flags.url, "--url", "Backend URL (http:// or https://)", urlProblem);
  const timeout = parseIntegerOption(flags.timeout, "--timeout", { min: HTTP_TIMEOUT_MIN, max: HTTP_TIMEOUT_MAX }) ?? DEFAULT_HTTP_TIMEOUT_SECONDS;
  return { url, timeout };
}

export async function collectAddInputs(paths: AppPaths, flags: AddFlags): Promise<AddInputs> {
  // A bad --name fails with the library's error and its naming hint.
  if (flags.name !== undefined) assertNewProxyName(paths, flags.name);
  const name = await value(flags.name, "--name", "Proxy name", (n) => newProxyNameProblem(paths, n));
  const serverName = await value(flags.serverName, "--server-name", "Backend server name", nonEmptyProblem("The server name"), name);
  const transport = await chooseTransport(flags);
  rejectOptionsFor(transport, flags);
  const stdio = transport === "streamablehttp" ? undefined : await collectStdio(flags);
  const http = transport === "stdio" ? undefined : await collectHttp(flags);
  const mtls = resolveMtls({ cert: flags.mtlsCert, key: flags.mtlsKey, ca: flags.mtlsCa });
  return { name, serverName, transport, stdio, http, mtls };
}
