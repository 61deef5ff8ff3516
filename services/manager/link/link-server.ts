import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { ManagerLink } from "../../../lib/gen/mcpacp/link/v1/link_pb.ts";
import { RpcCode, RpcError, startGrpcServer, type GrpcServerHandle, type GrpcServiceBinding } from "../../../lib/rpc/index.ts";
import type { EventHub } from "../events/index.ts";
import type { ManagerLog } from "../lifecycle/system-log.ts";
import type { ProxyRegistry } from "../registry/index.ts";
import { AttachmentSession } from "./attachment.ts";
import { LINK_DEFAULTS, type AttachResponseInit, type LinkContext, type LinkTiming, type TokenUpdateInit, type UiStatusInit } from "./link-context.ts";

export interface LinkEndpoints {
  /** http://127.0.0.1:<port> of the dashboard; empty until the gateway listens. */
  uiUrl: string;
  /** Path of the token-less Connect API socket; empty until it listens. */
  apiSocket: string;
}

export interface LinkServerOptions extends Partial<LinkTiming> {
  registry: ProxyRegistry;
  hub: EventHub;
  log: ManagerLog;
  /** mcp-acp version of the manager. */
  version: string;
  startedAt?: Date;
  /** Log folder of a proxy (`<log_dir>/mcp-acp/proxies/<name>`), for its shutdowns.jsonl. */
  proxyLogDir: (proxyName: string) => string;
  /** The access token to hand a newly attached proxy, if any (the token service plugs in here). */
  tokenProvider?: () => TokenUpdateInit | undefined;
  endpoints?: () => LinkEndpoints;
  /** Records idle-clock activity (attach, detach). */
  activity?: () => void;
  now?: () => number;
}

/**
 * The manager's side of ManagerLink: Attach (one AttachmentSession per stream) and Health. Pushes
 * ui_status to every proxy whenever the number of dashboard subscribers changes.
 */
export class LinkServer {
  private readonly sessions = new Map<string, AttachmentSession>();
  private readonly context: LinkContext;
  private readonly startedAt: Date;
  private readonly stopWatchingSubscribers: () => void;
  private server: GrpcServerHandle | undefined;
  private accepting = true;
  private closing = false;

  constructor(private readonly options: LinkServerOptions) {
    this.startedAt = options.startedAt ?? new Date();
    const timing: LinkTiming = {
      registrationTimeoutMs: options.registrationTimeoutMs ?? LINK_DEFAULTS.registrationTimeoutMs,
      heartbeatMs: options.heartbeatMs ?? LINK_DEFAULTS.heartbeatMs,
      pongTimeoutMs: options.pongTimeoutMs ?? LINK_DEFAULTS.pongTimeoutMs,
      outboxCap: options.outboxCap ?? LINK_DEFAULTS.outboxCap,
    };
    const self = this;
    this.context = {
      registry: options.registry,
      hub: options.hub,
      log: options.log,
      timing,
      version: options.version,
      sessions: this.sessions,
      get accepting() {
        return self.accepting;
      },
      get closing() {
        return self.closing;
      },
      proxyLogDir: options.proxyLogDir,
      currentToken: () => options.tokenProvider?.(),
      uiStatus: () => this.uiStatus(),
      activity: () => options.activity?.(),
      now: options.now ?? Date.now,
    };
    this.stopWatchingSubscribers = options.hub.onSubscribersChanged(() => this.pushUiStatus());
  }

  /** The ManagerLink implementation, to host on a grpc-js server. */
  get binding(): GrpcServiceBinding<typeof ManagerLink> {
    return {
      service: ManagerLink,
      impl: {
        attach: (requests, ctx) => {
          if (!this.accepting) throw new RpcError(RpcCode.UNAVAILABLE, "the manager is shutting down; reconnect later");
          return new AttachmentSession(this.context, ctx.signal).open(requests);
        },
        // Health answers for as long as the socket is up, shutdown included: a stopping manager
        // still holds its lock, and a starter must not mistake it for a dead one.
        health: () => {
          const endpoints = this.options.endpoints?.() ?? { uiUrl: "", apiSocket: "" };
          return {
            pid: process.pid,
            version: this.options.version,
            startedAt: timestampFromDate(this.startedAt),
            attachedProxies: this.options.registry.size,
            subscriberCount: this.options.hub.subscriberCount,
            uiUrl: endpoints.uiUrl,
            apiSocket: endpoints.apiSocket,
          };
        },
      },
    };
  }

  /** Binds `socketPath` (0600, stale socket replaced, live one refused with ALREADY_EXISTS). */
  async listen(socketPath: string, options: { shutdownTimeoutMs?: number; liveCheckTimeoutMs?: number } = {}): Promise<string> {
    if (this.server !== undefined) throw new RpcError(RpcCode.FAILED_PRECONDITION, `the link server already listens on ${this.server.socketPath}`);
    this.server = await startGrpcServer({
      socketPath,
      services: [this.binding],
      shutdownTimeoutMs: options.shutdownTimeoutMs ?? 5000,
      liveCheckTimeoutMs: options.liveCheckTimeoutMs ?? 1000,
      onHandlerError: (error, path) =>
        this.options.log.error("link_handler_failed", `${path} failed: ${error instanceof Error ? error.message : String(error)}`),
    });
    return this.server.socketPath;
  }

  get attachedCount(): number {
    return this.sessions.size;
  }

  uiStatus(): UiStatusInit {
    const count = this.options.hub.subscriberCount;
    return { browserConnected: count > 0, subscriberCount: count };
  }

  /** Tells every attached proxy whether a dashboard is watching. */
  pushUiStatus(): void {
    this.broadcast({ frame: { case: "uiStatus", value: this.uiStatus() } });
  }

  /** Sends a frame to every attached proxy; returns how many got it queued. */
  broadcast(frame: AttachResponseInit): number {
    let sent = 0;
    for (const session of [...this.sessions.values()]) if (session.send(frame)) sent++;
    return sent;
  }

  /** Sends a frame to one attached proxy; false when it is not attached. */
  sendTo(proxyName: string, frame: AttachResponseInit): boolean {
    const entry = this.options.registry.get(proxyName);
    const session = entry === undefined ? undefined : this.sessions.get(entry.attachmentId);
    return session?.send(frame) ?? false;
  }

  /** Asks a proxy for a fresh snapshot (it answers on its stream). */
  requestSnapshot(proxyName: string, reason: string): boolean {
    return this.sendTo(proxyName, { frame: { case: "snapshotRequest", value: { reason } } });
  }

  /** First step of shutdown: new attachments are refused (UNAVAILABLE; proxies retry later). */
  stopAccepting(): void {
    this.accepting = false;
  }

  /** Ends every attachment (UNAVAILABLE, so proxies reconnect later) and empties the registry. */
  endAttachments(): void {
    this.accepting = false;
    this.closing = true;
    const reason = new RpcError(RpcCode.UNAVAILABLE, "the manager is shutting down; the proxy keeps working and re-attaches later");
    for (const session of [...this.sessions.values()]) session.end(reason, "manager shutdown");
    this.options.registry.clear();
  }

  /** Ends attachments, stops the server and removes its socket. */
  async close(): Promise<void> {
    this.endAttachments();
    this.stopWatchingSubscribers();
    await this.server?.close();
  }
}
