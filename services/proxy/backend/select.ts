// Which transport a proxy uses (spec §10.1, with our fix): `stdio` and `streamablehttp` need
// their section; `auto` prefers HTTP when both are configured and falls back to STDIO only when
// the HTTP backend is unreachable (refused, unresolvable, silent) — never on a TLS error or an
// HTTP status, which mean the server is there and a silent switch would hide a real problem.
import type { ProxyLogger } from "../relay/log.ts";
import { BackendError, BackendErrorCode } from "./errors.ts";
import type { FetchLike } from "./http-fetch.ts";
import type { ProbeResult } from "./probe.ts";
import type { BackendSettings, HttpBackendSettings, StdioBackendSettings } from "./settings.ts";

export type BackendSelection =
  | { transport: "stdio"; stdio: StdioBackendSettings; fallbackFrom?: BackendError }
  | { transport: "streamablehttp"; http: HttpBackendSettings; probe: ProbeResult };

export interface SelectBackendOptions {
  logger: ProxyLogger;
  userAgent?: string;
  /** Sent on every HTTP request, the probe included (e.g. the backend credential). */
  httpHeaders?: Readonly<Record<string, string>>;
  tls?: BunFetchRequestInitTLS;
  probeAttempts?: number;
  probeRetryDelaysMs?: readonly number[];
  sleep?: (ms: number) => Promise<void>;
  baseFetch?: FetchLike;
}

export async function selectBackend(settings: BackendSettings, options: SelectBackendOptions): Promise<BackendSelection> {
  const stdio = settings.stdio ?? undefined;
  const http = settings.http ?? undefined;
  switch (settings.transport) {
    case "stdio":
      if (stdio === undefined) throw missingSection("stdio");
      return { transport: "stdio", stdio };
    case "streamablehttp":
      if (http === undefined) throw missingSection("streamablehttp");
      return { transport: "streamablehttp", http, probe: await probe(http, options) };
    case "auto":
      return selectAuto(stdio, http, options);
  }
}

async function selectAuto(
  stdio: StdioBackendSettings | undefined,
  http: HttpBackendSettings | undefined,
  options: SelectBackendOptions,
): Promise<BackendSelection> {
  if (http === undefined) {
    if (stdio === undefined) {
      throw new BackendError(BackendErrorCode.NotConfigured, "No transport configured: the backend has neither a stdio nor an http section.", {
        hint: "Recreate the proxy with 'mcp-acp proxy add', or add backend.stdio or backend.http to its config.json.",
      });
    }
    return { transport: "stdio", stdio };
  }
  if (stdio === undefined) return { transport: "streamablehttp", http, probe: await probe(http, options) };
  try {
    return { transport: "streamablehttp", http, probe: await probe(http, options) };
  } catch (error) {
    if (!(error instanceof BackendError)) throw error;
    if (error.code === BackendErrorCode.Unreachable || error.code === BackendErrorCode.Timeout) {
      options.logger.warn(`HTTP backend unavailable (${error.message}); transport 'auto' falls back to STDIO: ${stdio.command}`);
      return { transport: "stdio", stdio, fallbackFrom: error };
    }
    throw new BackendError(error.code, error.message, {
      url: error.url,
      status: error.status,
      cause: error,
      hint: `${error.hint ? `${error.hint} ` : ""}Transport 'auto' falls back to STDIO only when the HTTP backend is unreachable, not when it refuses the connection or the request.`,
    });
  }
}

// The probe pulls in the SDK's HTTP client; a STDIO proxy never loads it (start-up time).
async function probe(http: HttpBackendSettings, options: SelectBackendOptions): Promise<ProbeResult> {
  const { probeHttpBackend } = await import("./probe.ts");
  return probeHttpBackend({
    url: http.url,
    timeoutSeconds: http.timeout,
    logger: options.logger,
    userAgent: options.userAgent,
    headers: options.httpHeaders,
    tls: options.tls,
    attempts: options.probeAttempts,
    retryDelaysMs: options.probeRetryDelaysMs,
    sleep: options.sleep,
    baseFetch: options.baseFetch,
  });
}

function missingSection(transport: "stdio" | "streamablehttp"): BackendError {
  const section = transport === "stdio" ? "backend.stdio" : "backend.http";
  return new BackendError(BackendErrorCode.NotConfigured, `Transport '${transport}' selected but ${section} configuration is missing.`, {
    hint: `Add ${section} to the proxy's config.json, or change backend.transport.`,
  });
}
