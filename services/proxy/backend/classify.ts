// Maps whatever fetch, Bun or the SDK's HTTP transport threw into one BackendError with a code
// that decides retries and the `auto` fallback, and a message that says what to do.
import { StreamableHTTPError } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { BackendError, BackendErrorCode } from "./errors.ts";

export interface HttpFailureContext {
  /** Already stripped of credentials (displayUrl). */
  url: string;
  /** Whether a client certificate is configured (changes the TLS hints). */
  mtls: boolean;
}

const UNREACHABLE_CODES = new Set([
  "ECONNREFUSED",
  "ConnectionRefused",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EHOSTDOWN",
  "ENETDOWN",
  "EADDRNOTAVAIL",
  "FailedToOpenSocket",
  "ConnectionClosed",
  "ECONNABORTED",
  "EPIPE",
]);

const TIMEOUT_CODES = new Set(["ETIMEDOUT", "UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT"]);

const CERT_VERIFY_CODE = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ALTNAME|HOSTNAME_MISMATCH|INVALID_CA/;
const TLS_HANDSHAKE_CODE = /^(EPROTO|ERR_SSL_|ERR_TLS_|SSL_|TLSV1_ALERT)/;

export function classifyHttpFailure(error: unknown, context: HttpFailureContext): BackendError {
  if (error instanceof BackendError) return error;
  const { url } = context;
  if (error instanceof StreamableHTTPError) return fromStreamableHttpError(error, url);

  const code = errorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  const https = url.startsWith("https:");

  if (code !== undefined && CERT_VERIFY_CODE.test(code)) {
    return new BackendError(BackendErrorCode.Tls, `TLS certificate verification failed for ${url}: ${message} (${code})`, {
      url,
      cause: error,
      hint: "Check the server's certificate, or point mtls.ca_bundle_path at the CA that signed it.",
    });
  }
  const handshake =
    (code !== undefined && TLS_HANDSHAKE_CODE.test(code)) ||
    /\b(tls|ssl)\b|handshake/i.test(message) ||
    (https && (code === "ECONNRESET" || message.trim() === ""));
  if (handshake) {
    return new BackendError(
      BackendErrorCode.Tls,
      `TLS handshake with ${url} failed: ${message || "the server closed the connection"}${code ? ` (${code})` : ""}`,
      {
        url,
        cause: error,
        hint: context.mtls
          ? "The server may have rejected the client certificate: check mtls.client_cert_path and mtls.client_key_path."
          : "The server may require a client certificate (mTLS): configure the mtls section of the proxy's config.json.",
      },
    );
  }
  if (isTimeout(error, code)) {
    return new BackendError(BackendErrorCode.Timeout, `The backend did not answer in time (${url})`, { url, cause: error });
  }
  if ((code !== undefined && UNREACHABLE_CODES.has(code)) || code === "ECONNRESET" || /unable to connect|socket connection was closed/i.test(message)) {
    const what = code === "ENOTFOUND" || code === "EAI_AGAIN" ? "its host name could not be resolved" : `connection failed${code ? ` (${code})` : ""}`;
    return new BackendError(BackendErrorCode.Unreachable, `The backend at ${url} is unreachable: ${what}`, {
      url,
      cause: error,
      hint: "Check that the server is running and that backend.http.url is right.",
    });
  }
  if (error instanceof SyntaxError || (error instanceof Error && error.name === "ZodError")) {
    return new BackendError(BackendErrorCode.BadResponse, `The backend at ${url} answered with something that is not MCP JSON-RPC: ${firstLine(message)}`, {
      url,
      cause: error,
    });
  }
  return new BackendError(BackendErrorCode.RequestFailed, `Request to ${url} failed: ${firstLine(message)}`, { url, cause: error });
}

function fromStreamableHttpError(error: StreamableHTTPError, url: string): BackendError {
  const status = error.code;
  if (status === undefined || status < 100) {
    return new BackendError(BackendErrorCode.BadResponse, `The backend at ${url} answered with something that is not MCP: ${firstLine(error.message)}`, {
      url,
      cause: error,
    });
  }
  return new BackendError(BackendErrorCode.HttpStatus, `HTTP ${status} from ${url}`, {
    url,
    status,
    cause: error,
    hint: statusHint(status),
  });
}

export function statusHint(status: number): string {
  if (status === 401 || status === 403) {
    return "The backend requires credentials: store its API key with 'mcp-acp proxy auth set-key', or check that the key is still valid.";
  }
  if (status === 404) return "Check backend.http.url: it must be the server's MCP endpoint (often ending in /mcp).";
  if (status >= 400 && status < 500) return "The backend refused the request; check backend.http.url and the server's requirements.";
  return "The backend server reported an error; check its logs.";
}

function isTimeout(error: unknown, code: string | undefined): boolean {
  if (code !== undefined && TIMEOUT_CODES.has(code)) return true;
  return error instanceof Error && (error.name === "TimeoutError" || /timed? ?out/i.test(error.message));
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string") return code;
  const cause = (error as { cause?: unknown }).cause;
  return cause !== undefined && cause !== error ? errorCode(cause) : undefined;
}

function firstLine(text: string): string {
  const line = text.split("\n", 1)[0] ?? "";
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
