// The message-level MCP relay: reads JSON-RPC from the client transport and writes it to the
// backend transport and back, without re-implementing an MCP server. Only client requests (and
// their paired responses) go through the interception hooks; notifications, server→client
// requests and their responses pass straight through. Every request that enters is answered
// exactly once — by the backend, a hook, or the relay itself when something fails — so the
// client never hangs.
import type { InputProblem } from "./decode.ts";
import type { RelayEvent, RelayOutcome } from "./events.ts";
import type { RelayHooks, RequestContext, RequestDecision } from "./hooks.ts";
import {
  type ClientBoundMessage,
  errorResponse,
  formatRequestId,
  isRequestId,
  JsonRpcErrorCode,
  type JSONRPCMessage,
  type JSONRPCNotification,
  type JSONRPCRequest,
  type JSONRPCResponse,
  nullIdErrorResponse,
  type RequestId,
  resultResponse,
} from "./jsonrpc.ts";
import type { ProxyLogger } from "./log.ts";
import { type BackendExit, type ClientTransport, describeExit, type RelayBackend } from "./transports.ts";

export interface RelayOptions {
  client: ClientTransport;
  backend: RelayBackend;
  logger: ProxyLogger;
  hooks?: RelayHooks;
  onEvent?: (event: RelayEvent) => void;
  /** The backend's configured name (backend.server_name), used in messages. */
  serverName?: string;
  /** When the client closes its input: how long forwarded requests may still be answered
   * before the backend is stopped. Default 1000 ms. */
  clientCloseDrainMs?: number;
  /** Sees every message crossing the relay (for the DEBUG wire log). Must not modify it. */
  wireTap?: WireTap;
}

export type WireDirection = "from_client" | "to_backend" | "from_backend" | "to_client";
export type WireTap = (direction: WireDirection, message: ClientBoundMessage) => void;

interface PendingRequest {
  /** The request as forwarded (a hook may have rewritten it). */
  request: JSONRPCRequest;
  readonly ctx: RequestContext;
  readonly controller: AbortController;
  forwarded: boolean;
}

type RelayState = "idle" | "running" | "ending" | "ended";

export class McpRelay {
  /** Settles once, when the relay has ended and both ends are closed. */
  readonly done: Promise<RelayOutcome>;

  private readonly client: ClientTransport;
  private readonly backend: RelayBackend;
  private readonly logger: ProxyLogger;
  private readonly hooks: RelayHooks;
  private readonly onEvent: ((event: RelayEvent) => void) | undefined;
  private readonly backendLabel: string;
  private readonly clientCloseDrainMs: number;
  private readonly wireTap: WireTap | undefined;
  private readonly pending = new Map<RequestId, PendingRequest>();
  private state: RelayState = "idle";
  private resolveDone: (outcome: RelayOutcome) => void = () => {};

  constructor(options: RelayOptions) {
    this.client = options.client;
    this.backend = options.backend;
    this.logger = options.logger;
    this.hooks = options.hooks ?? {};
    this.onEvent = options.onEvent;
    this.clientCloseDrainMs = options.clientCloseDrainMs ?? 1000;
    this.wireTap = options.wireTap;
    const name = options.serverName ? `'${options.serverName}' ` : "";
    this.backendLabel = `backend ${name}(${options.backend.kind}: ${options.backend.target})`;
    this.done = new Promise((resolve) => {
      this.resolveDone = resolve;
    });
  }

  /** Requests read from the client and not answered yet. */
  get inFlightCount(): number {
    return this.pending.size;
  }

  get running(): boolean {
    return this.state === "running";
  }

  /** Starts the backend, then starts reading the client. Rejects (and settles `done` with a
   * start_failed outcome) when the backend cannot be started. */
  async start(): Promise<void> {
    if (this.state !== "idle") throw new Error("McpRelay.start() called twice");
    const backend = this.backend;
    backend.onmessage = this.onBackendMessage;
    backend.oninvalid = this.onBackendInvalid;
    backend.onexit = this.onBackendExit;
    backend.onclose = this.onBackendClose;
    backend.onerror = this.onBackendError;
    backend.onrequestfailed = this.onBackendRequestFailed;
    const client = this.client;
    client.onmessage = this.onClientMessage;
    client.oninvalid = this.onClientInvalid;
    client.onclose = this.onClientClose;
    client.onerror = this.onClientError;
    this.state = "running";
    try {
      await backend.start();
    } catch (error) {
      this.state = "ended";
      const err = asError(error);
      this.logger.error(`Could not start ${this.backendLabel}: ${err.message}`);
      this.resolveDone({ kind: "start_failed", error: err });
      throw err;
    }
    if (this.state !== "running") return; // the backend died at once; `done` tells how
    await client.start();
  }

  /** Ends the relay: answers every in-flight request with an error, stops the backend
   * (SIGTERM, then SIGKILL after its grace period), stops reading the client. */
  async stop(reason: string, clientMessage?: string): Promise<RelayOutcome> {
    if (this.state === "idle") {
      this.state = "ended";
      this.resolveDone({ kind: "stopped", reason });
      return this.done;
    }
    if (this.state !== "running") return this.done;
    this.state = "ending";
    this.logger.info(`Relay stopping: ${reason}`, { in_flight: this.pending.size });
    const message = clientMessage ?? `Proxy is shutting down (${reason}); the request was not completed.`;
    const writes = this.failAllPending(message);
    await this.finish({ kind: "stopped", reason }, writes);
    return this.done;
  }

  // ── client → backend ──────────────────────────────────────────────────────────────────────

  private readonly onClientMessage = (message: JSONRPCMessage): void => {
    if (this.wireTap !== undefined) this.tap("from_client", message);
    if ("method" in message) {
      if ("id" in message) this.handleClientRequest(message);
      else this.handleClientNotification(message);
      return;
    }
    // The client's answer to a server→client request (sampling, elicitation, roots).
    if (this.state !== "running") return;
    this.sendToBackend(message, "response");
  };

  private handleClientRequest(request: JSONRPCRequest): void {
    const id = request.id;
    if (this.state !== "running") {
      this.replyError(id, JsonRpcErrorCode.InternalError, "Proxy is shutting down; the request was not forwarded.");
      return;
    }
    if (this.pending.has(id)) {
      this.logger.warn(`Refused client request ${request.method}: id ${formatRequestId(id)} is already in flight`);
      this.replyError(
        id,
        JsonRpcErrorCode.InvalidRequest,
        `Invalid request: id ${formatRequestId(id)} is already used by a request that has not been answered yet`,
      );
      return;
    }
    const controller = new AbortController();
    const ctx: RequestContext = { id, method: request.method, receivedAt: performance.now(), signal: controller.signal };
    const entry: PendingRequest = { request, ctx, controller, forwarded: false };
    this.pending.set(id, entry);
    const hook = this.hooks.onClientRequest;
    if (hook === undefined) {
      this.forward(entry, request);
      return;
    }
    let decision: RequestDecision | Promise<RequestDecision>;
    try {
      decision = hook.call(this.hooks, request, ctx);
    } catch (error) {
      this.requestHookFailed(entry, error);
      return;
    }
    if (decision instanceof Promise) {
      decision.then(
        (d) => this.applyDecision(entry, d),
        (error: unknown) => this.requestHookFailed(entry, error),
      );
    } else {
      this.applyDecision(entry, decision);
    }
  }

  private applyDecision(entry: PendingRequest, decision: RequestDecision): void {
    const id = entry.ctx.id;
    if (this.pending.get(id) !== entry) return; // cancelled, or answered when the backend died
    switch (decision.kind) {
      case "forward": {
        const rewritten = decision.request;
        const request =
          rewritten === undefined ? entry.request : rewritten.id === id ? rewritten : { ...rewritten, id };
        this.forward(entry, request);
        return;
      }
      case "result":
        this.pending.delete(id);
        this.sendToClient(resultResponse(id, decision.result));
        return;
      case "error":
        this.pending.delete(id);
        this.sendToClient(errorResponse(id, decision.error));
        return;
    }
  }

  private forward(entry: PendingRequest, request: JSONRPCRequest): void {
    entry.request = request;
    entry.forwarded = true;
    if (this.wireTap !== undefined) this.tap("to_backend", request);
    this.backend.send(request).catch((error: unknown) => this.backendSendFailed(entry, error));
  }

  private backendSendFailed(entry: PendingRequest, error: unknown): void {
    const { id, method } = entry.ctx;
    if (this.pending.get(id) !== entry) return;
    this.pending.delete(id);
    const err = asError(error);
    this.logger.warn(`Request ${method} (id ${formatRequestId(id)}) failed at the ${this.backendLabel}: ${err.message}`);
    this.emit({ type: "backend_request_failed", id, method, error: err });
    this.replyError(id, JsonRpcErrorCode.InternalError, `Backend request failed: ${err.message}`);
  }

  private requestHookFailed(entry: PendingRequest, error: unknown): void {
    const { id, method } = entry.ctx;
    if (this.pending.get(id) !== entry) return;
    this.pending.delete(id);
    const err = asError(error);
    this.logger.error(`Request hook failed for ${method} (id ${formatRequestId(id)}); the request was not forwarded`, {
      error: err.message,
    });
    this.emit({ type: "hook_failed", stage: "request", id, method, error: err });
    this.replyError(
      id,
      JsonRpcErrorCode.InternalError,
      `Internal error while checking ${method}; the request was not forwarded.`,
    );
  }

  private handleClientNotification(notification: JSONRPCNotification): void {
    if (this.state !== "running") return;
    if (notification.method === "notifications/cancelled") {
      const target = notification.params?.requestId;
      const entry = isRequestId(target) ? this.pending.get(target) : undefined;
      if (entry !== undefined) {
        this.pending.delete(entry.ctx.id);
        entry.controller.abort(new Error("the client cancelled the request"));
        // Never forwarded: the backend has nothing to cancel, and the client expects no answer.
        if (!entry.forwarded) return;
      }
    }
    const hook = this.hooks.onClientNotification;
    if (hook !== undefined) {
      let decision: "forward" | "drop";
      try {
        decision = hook.call(this.hooks, notification);
      } catch (error) {
        this.logger.error(`Notification hook failed for ${notification.method}; the notification was dropped`, {
          error: asError(error).message,
        });
        return;
      }
      if (decision === "drop") {
        this.logger.info(`Dropped client notification ${notification.method}`);
        return;
      }
    }
    this.sendToBackend(notification, "notification");
  }

  private readonly onClientInvalid = (problem: InputProblem): void => {
    this.logger.warn(`Refused client input: ${problem.reason}`, {
      bytes: problem.bytes,
      id: problem.id,
      method: problem.method,
      preview: problem.preview,
    });
    this.emit({ type: "client_message_rejected", problem });
    if (!problem.answer || this.state !== "running") return;
    const error = { code: problem.code, message: problem.reason };
    this.sendToClient(problem.id === null ? nullIdErrorResponse(error) : errorResponse(problem.id, error));
  };

  private readonly onClientClose = (): void => {
    if (this.state !== "running") return;
    this.state = "ending";
    this.logger.info(`MCP client closed its input; stopping the ${this.backendLabel}`, { in_flight: this.pending.size });
    // Requests not yet forwarded are abandoned; forwarded ones may still be answered (a client
    // that half-closes, e.g. a shell pipe, still reads our output) for a short while.
    for (const entry of this.pending.values()) {
      if (entry.forwarded) continue;
      entry.controller.abort(new Error("the client disconnected"));
      this.pending.delete(entry.ctx.id);
    }
    void this.drainThenFinish();
  };

  private async drainThenFinish(): Promise<void> {
    const deadline = performance.now() + this.clientCloseDrainMs;
    while (this.pending.size > 0 && performance.now() < deadline) await Bun.sleep(10);
    for (const entry of this.pending.values()) entry.controller.abort(new Error("the client disconnected"));
    this.pending.clear();
    await this.finish({ kind: "client_closed" }, []);
  }

  private readonly onClientError = (error: Error): void => {
    this.logger.warn(`Client transport error: ${error.message}`);
  };

  // ── backend → client ──────────────────────────────────────────────────────────────────────

  private readonly onBackendMessage = (message: JSONRPCMessage): void => {
    if (this.state === "ended") return;
    if (this.wireTap !== undefined) this.tap("from_backend", message);
    if ("method" in message) {
      // Server→client requests and notifications (sampling, roots, progress, logging…).
      this.sendToClient(message);
      return;
    }
    this.handleBackendResponse(message);
  };

  private handleBackendResponse(response: JSONRPCResponse): void {
    const id = response.id;
    if (id === undefined || id === null) {
      const detail = "error" in response ? `: ${response.error.message}` : "";
      this.logger.warn(`The ${this.backendLabel} sent a response without an id; dropped${detail}`);
      this.emit({ type: "response_dropped", id: null, reason: "no_id" });
      return;
    }
    const entry = this.pending.get(id);
    if (entry === undefined || !entry.forwarded) {
      // Late (after a cancel or timeout) or never asked for: delivering it unfiltered could
      // bypass the response hook, so it is dropped.
      this.logger.info(`Dropped a backend response for id ${formatRequestId(id)}: no request with that id is in flight`);
      this.emit({ type: "response_dropped", id, reason: "unknown_id" });
      return;
    }
    this.pending.delete(id);
    if (entry.request.method === "initialize" && "result" in response) {
      const version = response.result.protocolVersion;
      if (typeof version === "string") this.backend.setProtocolVersion?.(version);
    }
    const hook = this.hooks.onBackendResponse;
    if (hook === undefined) {
      this.sendToClient(response);
      return;
    }
    let delivered: JSONRPCResponse | Promise<JSONRPCResponse>;
    try {
      delivered = hook.call(this.hooks, response, entry.request, entry.ctx);
    } catch (error) {
      this.responseHookFailed(entry, error);
      return;
    }
    if (delivered instanceof Promise) {
      delivered.then(
        (r) => this.deliverResponse(entry, r),
        (error: unknown) => this.responseHookFailed(entry, error),
      );
    } else {
      this.deliverResponse(entry, delivered);
    }
  }

  private deliverResponse(entry: PendingRequest, response: JSONRPCResponse): void {
    const id = entry.ctx.id;
    this.sendToClient(response.id === id ? response : { ...response, id });
  }

  private responseHookFailed(entry: PendingRequest, error: unknown): void {
    const { id, method } = entry.ctx;
    const err = asError(error);
    this.logger.error(`Response hook failed for ${method} (id ${formatRequestId(id)}); the response was withheld`, {
      error: err.message,
    });
    this.emit({ type: "hook_failed", stage: "response", id, method, error: err });
    this.replyError(id, JsonRpcErrorCode.InternalError, `Internal error while processing the backend's answer to ${method}.`);
  }

  private readonly onBackendInvalid = (problem: InputProblem): void => {
    this.logger.warn(`The ${this.backendLabel} wrote output that is not a JSON-RPC message; ignored: ${problem.reason}`, {
      bytes: problem.bytes,
      preview: problem.preview,
    });
    this.emit({ type: "backend_message_rejected", problem });
    // A response too large to relay still answers its request, so the client does not hang.
    if (problem.kind !== "too_large" || problem.id === null) return;
    const entry = this.pending.get(problem.id);
    if (entry === undefined || !entry.forwarded) return;
    this.pending.delete(problem.id);
    this.replyError(
      problem.id,
      JsonRpcErrorCode.InternalError,
      `The backend's answer to ${entry.ctx.method} was discarded: ${problem.reason.replace(/^Invalid request: /, "")}`,
    );
  };

  private readonly onBackendRequestFailed = (ids: readonly RequestId[], error: Error): void => {
    for (const id of ids) {
      const entry = this.pending.get(id);
      if (entry === undefined || !entry.forwarded) continue;
      this.backendSendFailed(entry, error);
      // The backend may still be working on it: tell it to stop (best effort).
      this.sendToBackend(
        { jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: id, reason: error.message } },
        "cancellation",
      );
    }
  };

  private readonly onBackendExit = (exit: BackendExit): void => {
    if (this.state !== "running") return; // we are the ones stopping it
    this.state = "ending";
    const what = `The ${this.backendLabel} exited unexpectedly (${describeExit(exit)})`;
    const inFlight = this.pending.size;
    this.logger.error(`${what}; answering ${inFlight} in-flight request(s) with an error and stopping the proxy`);
    this.emit({ type: "backend_exited", exit, inFlight });
    const writes = this.failAllPending(`${what} before answering; the proxy is stopping.`);
    void this.finish({ kind: "backend_exited", exit, message: what }, writes);
  };

  private readonly onBackendClose = (): void => {
    if (this.state === "running") this.onBackendExit({ code: null, signal: null });
  };

  private readonly onBackendError = (error: Error): void => {
    this.logger.warn(`Backend transport error (${this.backendLabel}): ${error.message}`);
  };

  // ── plumbing ──────────────────────────────────────────────────────────────────────────────

  private failAllPending(message: string): Promise<void>[] {
    const writes: Promise<void>[] = [];
    for (const entry of this.pending.values()) {
      entry.controller.abort(new Error(message));
      writes.push(this.sendToClient(errorResponse(entry.ctx.id, { code: JsonRpcErrorCode.InternalError, message })));
    }
    this.pending.clear();
    return writes;
  }

  private async finish(outcome: RelayOutcome, writes: Promise<void>[]): Promise<void> {
    await Promise.allSettled(writes);
    await this.closeQuietly("backend", () => this.backend.close());
    await this.closeQuietly("client", () => this.client.close());
    this.state = "ended";
    this.resolveDone(outcome);
  }

  private async closeQuietly(which: string, close: () => Promise<void>): Promise<void> {
    try {
      await close();
    } catch (error) {
      this.logger.warn(`Closing the ${which} transport failed: ${asError(error).message}`);
    }
  }

  private replyError(id: RequestId, code: number, message: string): void {
    this.sendToClient(errorResponse(id, { code, message }));
  }

  private sendToClient(message: ClientBoundMessage): Promise<void> {
    if (this.wireTap !== undefined) this.tap("to_client", message);
    return this.client.send(message).catch((error: unknown) => {
      this.logger.warn(`Could not write to the MCP client: ${asError(error).message}`);
    });
  }

  private sendToBackend(message: JSONRPCMessage, what: string): void {
    if (this.wireTap !== undefined) this.tap("to_backend", message);
    this.backend.send(message).catch((error: unknown) => {
      this.logger.warn(`Could not deliver a client ${what} to the ${this.backendLabel}: ${asError(error).message}`);
    });
  }

  private tap(direction: WireDirection, message: ClientBoundMessage): void {
    try {
      this.wireTap?.(direction, message);
    } catch (error) {
      this.logger.warn(`Wire tap failed: ${asError(error).message}`);
    }
  }

  private emit(event: RelayEvent): void {
    if (this.onEvent === undefined) return;
    try {
      this.onEvent(event);
    } catch (error) {
      this.logger.warn(`Relay event handler failed on ${event.type}: ${asError(error).message}`);
    }
  }
}

function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}
