// Startup health check of a streamable-HTTP backend (spec §10.2): a complete MCP initialize
// handshake within min(http.timeout, 10) s, with the same headers, credential and mTLS as the
// real traffic (the original probed without the credential, so protected backends failed).
// Up to 3 attempts, sleeping 2 s then 4 s; TLS and HTTP-status errors are final at once.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { ProxyLogger } from "../relay/log.ts";
import { classifyHttpFailure } from "./classify.ts";
import { BackendError, BackendErrorCode } from "./errors.ts";
import { createBackendFetch, displayUrl, type FetchLike } from "./http-fetch.ts";
import { PROXY_VERSION } from "./user-agent.ts";

export const PROBE_TIMEOUT_CAP_SECONDS = 10;
export const PROBE_ATTEMPTS = 3;
export const PROBE_RETRY_DELAYS_MS: readonly number[] = [2000, 4000];

export interface ProbeOptions {
  url: string;
  /** backend.http.timeout, seconds (the probe uses min(timeout, 10)). */
  timeoutSeconds: number;
  logger: ProxyLogger;
  userAgent?: string;
  headers?: Readonly<Record<string, string>>;
  tls?: BunFetchRequestInitTLS;
  attempts?: number;
  retryDelaysMs?: readonly number[];
  /** Injectable so tests do not wait 6 s. */
  sleep?: (ms: number) => Promise<void>;
  baseFetch?: FetchLike;
}

export interface ProbeResult {
  url: string;
  attempts: number;
  protocolVersion: string | undefined;
  serverName: string | undefined;
  serverVersion: string | undefined;
}

/** Codes that mean "asking again will not help". */
function isFinal(error: BackendError): boolean {
  return error.code === BackendErrorCode.Tls || error.code === BackendErrorCode.HttpStatus;
}

export async function probeHttpBackend(options: ProbeOptions): Promise<ProbeResult> {
  const url = displayUrl(options.url);
  const mtls = options.tls?.cert !== undefined;
  const attempts = Math.max(1, options.attempts ?? PROBE_ATTEMPTS);
  const delays = options.retryDelaysMs ?? PROBE_RETRY_DELAYS_MS;
  const sleep = options.sleep ?? ((ms: number) => Bun.sleep(ms));
  const timeoutSeconds = Math.min(options.timeoutSeconds, PROBE_TIMEOUT_CAP_SECONDS);

  let last: BackendError | undefined;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const result = await probeOnce(options, timeoutSeconds);
      if (attempt > 1) options.logger.info(`Backend ${url} answered on attempt ${attempt}`);
      return { url, attempts: attempt, ...result };
    } catch (error) {
      last = classifyHttpFailure(error, { url, mtls });
      if (last.code === BackendErrorCode.Timeout) {
        last = new BackendError(BackendErrorCode.Timeout, `Backend health check timed out after ${timeoutSeconds}s: ${url}`, {
          url,
          cause: error,
          hint: "Check that the server is running and reachable; a slow server may need a larger backend.http.timeout.",
        });
      }
      if (isFinal(last)) throw finalProbeError(last, url);
      if (attempt < attempts) {
        const delay = delays[Math.min(attempt - 1, delays.length - 1)] ?? 0;
        options.logger.warn(`Backend health check attempt ${attempt}/${attempts} failed: ${last.message}; retrying in ${delay / 1000}s`);
        await sleep(delay);
      }
    }
  }
  const error = last as BackendError;
  if (url.startsWith("https:") && !mtls) {
    throw new BackendError(error.code, `Backend not reachable after ${attempts} attempts: ${url} (${error.message})`, {
      url,
      cause: error,
      hint: "If the server requires a client certificate, configure the mtls section of the proxy's config.json.",
    });
  }
  throw new BackendError(error.code, `Backend not reachable after ${attempts} attempts: ${url} (${error.message})`, {
    url,
    cause: error,
    hint: error.hint,
  });
}

function finalProbeError(error: BackendError, url: string): BackendError {
  if (error.code === BackendErrorCode.HttpStatus) {
    return new BackendError(error.code, `Backend health check failed: HTTP ${error.status} from ${url}.`, {
      url,
      status: error.status,
      hint: error.hint,
      cause: error,
    });
  }
  return error;
}

async function probeOnce(
  options: ProbeOptions,
  timeoutSeconds: number,
): Promise<Omit<ProbeResult, "url" | "attempts">> {
  const timeoutMs = timeoutSeconds * 1000;
  const transport = new StreamableHTTPClientTransport(new URL(options.url), {
    fetch: createBackendFetch({
      timeoutMs,
      userAgent: options.userAgent,
      headers: options.headers,
      tls: options.tls,
      baseFetch: options.baseFetch,
    }),
    reconnectionOptions: { maxRetries: 0, initialReconnectionDelay: 1000, maxReconnectionDelay: 1000, reconnectionDelayGrowFactor: 1 },
  });
  const client = new Client({ name: "mcp-acp-probe", version: PROXY_VERSION });
  client.onerror = () => {}; // failures surface through connect()
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new BackendError(BackendErrorCode.Timeout, `no answer within ${timeoutSeconds}s`));
    }, timeoutMs);
  });
  try {
    await Promise.race([client.connect(transport, { timeout: timeoutMs }), deadline]);
    const server = client.getServerVersion();
    return { protocolVersion: transport.protocolVersion, serverName: server?.name, serverVersion: server?.version };
  } finally {
    clearTimeout(timer);
    await transport.terminateSession().catch(() => {});
    await client.close().catch(() => {});
  }
}
