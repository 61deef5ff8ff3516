// One call for the `start` command: pick the transport (probing HTTP when needed) and build the
// backend the relay will run on. Nothing is spawned until the relay starts it.
import type { RelayBackend } from "../relay/transports.ts";
import { minimalEnv } from "./env.ts";
import { type BackendSelection, type SelectBackendOptions, selectBackend } from "./select.ts";
import type { BackendSettings } from "./settings.ts";
import { resolveCommand, StdioBackendTransport } from "./stdio-transport.ts";

export interface OpenBackendOptions extends SelectBackendOptions {
  /** Where the STDIO backend's minimal environment is taken from. Default: process.env. */
  parentEnv?: Readonly<Record<string, string | undefined>>;
  cwd?: string;
  /** Largest message accepted from a STDIO backend (default 64 MiB). */
  maxMessageBytes?: number;
  stdinGraceMs?: number;
  killGraceMs?: number;
}

export interface OpenedBackend {
  backend: RelayBackend;
  selection: BackendSelection;
}

export async function openBackend(settings: BackendSettings, options: OpenBackendOptions): Promise<OpenedBackend> {
  const selection = await selectBackend(settings, options);
  return { backend: await createBackend(selection, settings.server_name, options), selection };
}

/** Builds the transport for a selection; for STDIO the command is resolved now, so a missing
 * binary is a startup error rather than a relay failure. The HTTP transport (and the SDK client
 * under it) is loaded only when an HTTP backend is used, which keeps STDIO start-up fast. */
export async function createBackend(selection: BackendSelection, serverName: string, options: OpenBackendOptions): Promise<RelayBackend> {
  if (selection.transport === "streamablehttp") {
    const { HttpBackendTransport } = await import("./http-transport.ts");
    return new HttpBackendTransport({
      url: selection.http.url,
      timeoutSeconds: selection.http.timeout,
      logger: options.logger,
      serverName,
      userAgent: options.userAgent,
      headers: options.httpHeaders,
      tls: options.tls,
      baseFetch: options.baseFetch,
    });
  }
  const env = minimalEnv(options.parentEnv ?? process.env);
  resolveCommand(selection.stdio.command, env.PATH ?? "", options.cwd);
  return new StdioBackendTransport({
    command: selection.stdio.command,
    args: selection.stdio.args,
    logger: options.logger,
    serverName,
    env,
    cwd: options.cwd,
    maxMessageBytes: options.maxMessageBytes,
    stdinGraceMs: options.stdinGraceMs,
    killGraceMs: options.killGraceMs,
  });
}
