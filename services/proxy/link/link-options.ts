import type { MessageInitShape } from "@bufbuild/protobuf";
import type { ProxyEventSchema } from "../../../lib/gen/mcpacp/common/v1/event_pb.ts";
import type { StateSnapshotSchema } from "../../../lib/gen/mcpacp/common/v1/snapshot_pb.ts";
import type { RegisterSchema, TokenCleared, TokenUpdate, UiStatus } from "../../../lib/gen/mcpacp/link/v1/link_pb.ts";
import type { EnsureManagerOptions } from "../../../lib/manager-client/index.ts";
import type { AppPaths } from "../../../lib/paths/index.ts";
import type { ProxyLogger } from "../relay/log.ts";

export type RegisterInit = MessageInitShape<typeof RegisterSchema>;
export type StateSnapshotInit = MessageInitShape<typeof StateSnapshotSchema>;
export type ProxyEventInit = MessageInitShape<typeof ProxyEventSchema>;

/** Spec manager.md §12 "Attach behaviour", §13. */
export const LINK_CLIENT_DEFAULTS = Object.freeze({
  /** No frame from the manager (heartbeats come every 30 s) for this long: the link is lost. */
  silenceMs: 45_000,
  /** The manager must answer `register` within this long. */
  registeredTimeoutMs: 5_000,
  /** Reconnect delays: doubling from the first to the cap, plus up to `jitter` × the delay. */
  backoffInitialMs: 1_000,
  backoffMaxMs: 10_000,
  jitter: 0.2,
  /** Frames handed to the transport but not yet written; beyond this the manager is not reading. */
  maxPendingSends: 1_000,
});

export interface LinkTiming {
  silenceMs: number;
  registeredTimeoutMs: number;
  backoffInitialMs: number;
  backoffMaxMs: number;
  jitter: number;
  maxPendingSends: number;
}

/** Why the link is up or down, for the caller's HITL routing. */
export type LinkChange = { connected: true; attachmentId: string } | { connected: false; reason: string };

export interface ManagerLinkOptions {
  paths: AppPaths;
  /**
   * Who this proxy run is (proxy_name, proxy_id, a per-run instance_id, pid, control socket,
   * version, config summary, started_at). Sent as the first frame of every attachment.
   */
  register: RegisterInit;
  /** The live state (pending and cached approvals, stats) sent after every attach and on request. */
  snapshot(): StateSnapshotInit;
  /** Whether a dashboard watches; on link loss called with browser_connected=false. */
  onUiStatus(status: UiStatus): void;
  onTokenUpdate?(token: TokenUpdate): void;
  onTokenCleared?(cleared: TokenCleared): void;
  /** Told when an attachment is registered and when it ends. */
  onConnectionChange?(change: LinkChange): void;
  logger: ProxyLogger;
  /** No manager at all: no auto-start and no attach (`start --headless`). */
  headless: boolean;
  /** Absolute path of the mcp-acp CLI entry, for auto-start (`<bun> <cliEntry> manager run`). */
  cliEntry: string;
  /** Start the manager when none answers (once, when the link starts). */
  autoStart: boolean;
  /** Overrides of the auto-start (execPath, env, args, waits); tests use them. */
  autoStartOptions?: Partial<Omit<EnsureManagerOptions, "paths" | "cliEntry">>;
  timing?: Partial<LinkTiming>;
  /** Source of jitter in [0, 1); default Math.random. */
  random?: () => number;
  now?: () => number;
}

export interface ManagerLinkHandle {
  /**
   * Sends an event to the manager with the attachment's next seq. While detached it is dropped:
   * the next attachment starts with a fresh snapshot instead.
   */
  publish(event: ProxyEventInit): void;
  /** Ends the link cleanly (the manager sees the proxy leave) and stops reconnecting. */
  close(): Promise<void>;
  /** True while an attachment is registered. */
  readonly connected: boolean;
}
