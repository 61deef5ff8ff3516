// CreateProxy's backend health check (spec manager.md §11 step 6): a complete MCP initialize over
// streamable HTTP within min(timeout, 10) s, with the configured client certificate. It tells a
// certificate problem (the proxy would fail the same way: the request is invalid) from a backend
// that does not answer (the user may create the proxy anyway).
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { MtlsConfig } from "../../../../lib/config/index.ts";
import { expandHome } from "../../../../lib/paths/index.ts";

export const HEALTH_CHECK_CAP_SECONDS = 10;

export type HealthCheckResult = { ok: true } | { ok: false; kind: "tls" | "unreachable"; message: string };

const TLS_FAILURE = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ALTNAME|HOSTNAME|HANDSHAKE|EPROTO/i;

function describe(error: unknown): { code: string; message: string } {
  const code = typeof error === "object" && error !== null && "code" in error ? String((error as { code: unknown }).code) : "";
  const message = error instanceof Error ? error.message : String(error);
  return { code, message };
}

function tlsOptions(mtls: MtlsConfig | null): BunFetchRequestInitTLS | undefined {
  if (mtls === null) return undefined;
  return {
    cert: Bun.file(expandHome(mtls.client_cert_path)),
    key: Bun.file(expandHome(mtls.client_key_path)),
    ca: Bun.file(expandHome(mtls.ca_bundle_path)),
  };
}

export async function checkBackendHealth(url: string, timeoutSeconds: number, mtls: MtlsConfig | null): Promise<HealthCheckResult> {
  const seconds = Math.min(timeoutSeconds, HEALTH_CHECK_CAP_SECONDS);
  const tls = tlsOptions(mtls);
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    fetch: (input, init) => fetch(input, tls === undefined ? init : { ...init, tls }),
  });
  const client = new Client({ name: "mcp-acp-manager-health-check", version: "1" });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer to MCP initialize within ${seconds} s`)), seconds * 1000);
  });
  try {
    await Promise.race([client.connect(transport), timeout]);
    return { ok: true };
  } catch (error) {
    const { code, message } = describe(error);
    const detail = code === "" || message.includes(code) ? message : `${message} (${code})`;
    const tlsProblem = url.startsWith("https:") && (TLS_FAILURE.test(code) || TLS_FAILURE.test(message));
    return { ok: false, kind: tlsProblem ? "tls" : "unreachable", message: detail };
  } finally {
    clearTimeout(timer);
    await client.close().catch(() => undefined);
  }
}
