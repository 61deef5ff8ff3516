// The fetch the streamable-HTTP backend runs on. It adds what the SDK transport does not do:
// the User-Agent and credential headers, mTLS options, and http.timeout on every real request
// (POST/DELETE). The timeout is an inactivity timeout: it runs until the response starts and
// is re-armed by every chunk of a streamed (SSE) response body, so a slow tool that reports
// progress stays alive while a silent one fails. The long-lived standalone GET stream, which
// may legitimately stay quiet for hours, is never timed out.
import { isRequestId, type RequestId } from "../relay/jsonrpc.ts";
import { BackendError, BackendErrorCode } from "./errors.ts";
import { USER_AGENT } from "./user-agent.ts";

/** After a response body ends, how long the SDK gets to deliver what it carried. */
const SETTLE_DELAY_MS = 50;

export type FetchLike = (url: string | URL, init?: RequestInit) => Promise<Response>;

export interface BackendFetchOptions {
  /** Inactivity timeout per request, in milliseconds. */
  timeoutMs: number;
  userAgent?: string;
  /** Sent on every request unless the request sets the same header (e.g. Authorization). */
  headers?: Readonly<Record<string, string>>;
  /** Client certificate, key and CA for mTLS (Bun's fetch `tls` option). */
  tls?: BunFetchRequestInitTLS;
  /** Told that the JSON-RPC requests of a POST may never be answered: at once when the timeout
   * fires, and shortly after the response body ended or broke. `requestIds` parses the body
   * (call it only when something is actually outstanding); `mark` is what `mark()` returned
   * when the POST started, so the receiver can skip ids answered since then. */
  onAbandoned?: (requestIds: () => RequestId[], error: BackendError, mark: number) => void;
  /** A monotonic counter read when each POST starts (see onAbandoned). */
  mark?: () => number;
  /** Extra headers derived from a POST's body (protocol headers of the stateless revision). */
  headersFor?: (body: string) => Readonly<Record<string, string>> | undefined;
  baseFetch?: FetchLike;
}

export function createBackendFetch(options: BackendFetchOptions): FetchLike {
  const baseFetch: FetchLike = options.baseFetch ?? fetch;
  const userAgent = options.userAgent ?? USER_AGENT;
  const extraHeaders = Object.entries(options.headers ?? {});
  const timeoutMs = options.timeoutMs;

  return async (url, init) => {
    const headers = new Headers(init?.headers);
    for (const [name, value] of extraHeaders) if (!headers.has(name)) headers.set(name, value);
    headers.set("user-agent", userAgent);
    const request: BunFetchRequestInit = { ...init, headers };
    if (options.tls !== undefined) request.tls = options.tls;
    const method = (init?.method ?? "GET").toUpperCase();
    if (method === "GET") return baseFetch(url, request);

    if (options.headersFor !== undefined && typeof init?.body === "string") {
      for (const [name, value] of Object.entries(options.headersFor(init.body) ?? {})) headers.set(name, value);
    }
    const mark = options.mark?.() ?? 0;
    const controller = new AbortController();
    request.signal = init?.signal ? AbortSignal.any([init.signal, controller.signal]) : controller.signal;
    let timedOut: BackendError | null = null;
    const fire = (): void => {
      timedOut = timeoutError(url, timeoutMs);
      controller.abort(timedOut);
      options.onAbandoned?.(() => requestIdsOf(init?.body), timedOut, mark);
    };
    let timer = setTimeout(fire, timeoutMs);
    let response: Response;
    try {
      response = await baseFetch(url, request);
    } catch (error) {
      clearTimeout(timer);
      throw timedOut ?? error;
    }
    const body = response.body;
    if (body === null || !response.ok || response.status === 204 || response.status === 205) {
      clearTimeout(timer);
      return response;
    }
    const rearm = (): void => {
      clearTimeout(timer);
      timer = setTimeout(fire, timeoutMs);
    };
    // A stream whose events carry ids is resumable: the SDK reconnects and the answer may come
    // on another stream, so its end says nothing about the request.
    let resumable = false;
    const settle = (error: BackendError): void => {
      const report = options.onAbandoned;
      if (resumable || report === undefined) return;
      // Let the SDK parse and deliver what this body carried before declaring anything lost.
      setTimeout(() => report(() => requestIdsOf(init?.body), error, mark), SETTLE_DELAY_MS);
    };
    const reader = body.getReader();
    const watched = new ReadableStream<Uint8Array>({
      async pull(out) {
        try {
          const { done, value } = await reader.read();
          if (done) {
            clearTimeout(timer);
            out.close();
            settle(new BackendError(BackendErrorCode.RequestFailed, `The backend ended its response without answering (${displayUrl(url)})`));
            return;
          }
          rearm();
          if (!resumable && carriesEventId(value)) resumable = true;
          out.enqueue(value);
        } catch (error) {
          clearTimeout(timer);
          out.error(timedOut ?? error);
          if (timedOut === null) {
            const detail = error instanceof Error ? error.message : String(error);
            settle(new BackendError(BackendErrorCode.Unreachable, `The connection to the backend broke before it answered (${displayUrl(url)}): ${detail}`));
          }
        }
      },
      cancel(reason) {
        clearTimeout(timer);
        return reader.cancel(reason);
      },
    });
    return new Response(watched, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}

function timeoutError(url: string | URL, timeoutMs: number): BackendError {
  const seconds = timeoutMs / 1000;
  return new BackendError(
    BackendErrorCode.Timeout,
    `The backend did not answer within ${seconds} s (${displayUrl(url)})`,
    { url: displayUrl(url), hint: "If the tool is legitimately slow, raise backend.http.timeout in the proxy's config.json." },
  );
}

/** Whether an SSE chunk has an `id:` field line (checked on bytes, without decoding). */
function carriesEventId(chunk: Uint8Array): boolean {
  const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  return bytes.indexOf("\nid:") !== -1 || (bytes.length >= 3 && bytes.toString("latin1", 0, 3) === "id:");
}

/** Ids of the JSON-RPC requests in a POST body. */
export function requestIdsOf(body: unknown): RequestId[] {
  if (typeof body !== "string") return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return [];
  }
  const messages: unknown[] = Array.isArray(parsed) ? parsed : [parsed];
  const ids: RequestId[] = [];
  for (const message of messages) {
    if (typeof message !== "object" || message === null) continue;
    const record = message as Record<string, unknown>;
    if (typeof record.method === "string" && isRequestId(record.id)) ids.push(record.id);
  }
  return ids;
}

/** The URL without credentials, query or fragment: safe for logs and messages. */
export function displayUrl(url: string | URL): string {
  try {
    const u = new URL(String(url));
    u.username = "";
    u.password = "";
    u.search = "";
    u.hash = "";
    return u.href;
  } catch {
    return "(invalid URL)";
  }
}
