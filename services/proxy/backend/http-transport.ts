// Streamable-HTTP backend: the SDK's StreamableHTTPClientTransport on our fetch (timeouts,
// User-Agent, credential header, mTLS). A failed request is not fatal for an HTTP backend
// (the server may come back): the relay answers that request with the classified error.
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { InputProblem } from "../relay/decode.ts";
import type { JSONRPCMessage, RequestId } from "../relay/jsonrpc.ts";
import type { ProxyLogger } from "../relay/log.ts";
import type { BackendExit, RelayBackend } from "../relay/transports.ts";
import { classifyHttpFailure } from "./classify.ts";
import { BackendError, BackendErrorCode } from "./errors.ts";
import { createBackendFetch, displayUrl, type FetchLike } from "./http-fetch.ts";
import { declaredProtocolVersion, protocolHeadersFor } from "./protocol-headers.ts";

/** How long close() waits for the session DELETE before giving up on it. */
const TERMINATE_SESSION_MS = 2000;
/** How many recently answered ids are remembered (see answeredAt). */
const ANSWERED_WINDOW = 1024;

export interface HttpBackendOptions {
  url: string;
  /** backend.http.timeout, seconds. */
  timeoutSeconds: number;
  logger: ProxyLogger;
  serverName?: string;
  userAgent?: string;
  /** Extra headers on every request (e.g. Authorization: Bearer <key from the secret store>). */
  headers?: Readonly<Record<string, string>>;
  tls?: BunFetchRequestInitTLS;
  baseFetch?: FetchLike;
}

export class HttpBackendTransport implements RelayBackend {
  readonly kind = "streamablehttp" as const;
  readonly target: string;
  onmessage?: ((message: JSONRPCMessage) => void) | undefined;
  onclose?: (() => void) | undefined;
  onerror?: ((error: Error) => void) | undefined;
  oninvalid?: ((problem: InputProblem) => void) | undefined;
  onexit?: ((exit: BackendExit) => void) | undefined;
  onrequestfailed?: ((ids: readonly RequestId[], error: Error) => void) | undefined;

  private readonly inner: StreamableHTTPClientTransport;
  private readonly mtls: boolean;
  private readonly logger: ProxyLogger;
  /** Errors the SDK reports through onerror and also rejects send() with: reported once. */
  private readonly sendErrors = new WeakSet<object>();
  /** When each request id was last answered (on the `sequence` clock), so that a POST's late
   * "abandoned" report never fails a newer request that reuses the id. Bounded window. */
  private readonly answeredAt = new Map<RequestId, number>();
  private sequence = 0;
  /** Ids of requests sent and not answered yet. */
  private readonly outstanding = new Set<RequestId>();
  /** Set once the client sends a message that declares its revision in _meta (2026-07-28+). */
  private stateless = false;
  private closed = false;

  constructor(options: HttpBackendOptions) {
    let url: URL;
    try {
      url = new URL(options.url);
    } catch {
      throw new BackendError(BackendErrorCode.NotConfigured, `backend.http.url is not a valid URL: ${displayUrl(options.url)}`);
    }
    this.target = displayUrl(url);
    this.logger = options.logger;
    this.mtls = options.tls?.cert !== undefined;
    const fetchFn = createBackendFetch({
      timeoutMs: options.timeoutSeconds * 1000,
      userAgent: options.userAgent,
      headers: options.headers,
      tls: options.tls,
      baseFetch: options.baseFetch,
      mark: () => ++this.sequence,
      // Only clients on the stateless revision need body-mirroring headers: no cost otherwise.
      headersFor: (body) => (this.stateless ? protocolHeadersFor(body) : undefined),
      onAbandoned: (requestIds, error, mark) => {
        if (this.outstanding.size === 0) return; // the usual case: everything was answered
        const lost = requestIds().filter((id) => this.outstanding.has(id) && (this.answeredAt.get(id) ?? -1) < mark);
        for (const id of lost) this.outstanding.delete(id);
        if (lost.length > 0) this.onrequestfailed?.(lost, error);
      },
    });
    this.inner = new StreamableHTTPClientTransport(url, { fetch: fetchFn });
    this.inner.onmessage = (message) => {
      if (!("method" in message) && message.id !== undefined) this.noteAnswered(message.id);
      this.onmessage?.(message);
    };
    this.inner.onerror = (error) => {
      // The SDK calls onerror and then rejects send() with the same error; wait a turn so the
      // rejection (which the relay reports) is seen first and the error is not logged twice.
      setTimeout(() => {
        if (!this.sendErrors.has(error) && !this.closed) this.onerror?.(classifyHttpFailure(error, this.context()));
      }, 0);
    };
    this.inner.onclose = () => this.onclose?.();
  }

  get sessionId(): string | undefined {
    return this.inner.sessionId;
  }

  async start(): Promise<void> {
    await this.inner.start();
  }

  async send(message: JSONRPCMessage): Promise<void> {
    if ("method" in message) {
      if (!this.stateless && declaredProtocolVersion(message) !== undefined) this.stateless = true;
      if ("id" in message) this.outstanding.add(message.id);
      else if (message.method === "notifications/cancelled") {
        // A cancelled request may never be answered; stop waiting for it.
        const target = message.params?.requestId;
        if (typeof target === "string" || typeof target === "number") this.outstanding.delete(target);
      }
    }
    try {
      await this.inner.send(message);
    } catch (error) {
      if ("method" in message && "id" in message) this.outstanding.delete(message.id);
      if (typeof error === "object" && error !== null) this.sendErrors.add(error);
      throw classifyHttpFailure(error, this.context());
    }
  }

  setProtocolVersion(version: string): void {
    this.inner.setProtocolVersion(version);
  }

  /** Ends the MCP session (DELETE, bounded wait) and closes open streams. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.inner.sessionId !== undefined) {
      const ended = this.inner.terminateSession().catch((error: unknown) => {
        this.logger.debug(`Ending the backend session at ${this.target} failed: ${String(error)}`);
      });
      await Promise.race([ended, Bun.sleep(TERMINATE_SESSION_MS)]);
    }
    await this.inner.close();
  }

  private noteAnswered(id: RequestId): void {
    this.outstanding.delete(id);
    this.answeredAt.delete(id);
    this.answeredAt.set(id, ++this.sequence);
    if (this.answeredAt.size > ANSWERED_WINDOW) {
      const oldest = this.answeredAt.keys().next();
      if (!oldest.done) this.answeredAt.delete(oldest.value);
    }
  }

  private context(): { url: string; mtls: boolean } {
    return { url: this.target, mtls: this.mtls };
  }
}
