// What the API handlers need from the rest of the manager, as one small interface: the app's
// paths, the attached proxies, a control client per proxy, the event hub, facts about this manager
// run and the approver of the caller. The manager adapts its registry and hub to it; tests pass
// plain objects.
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { EventSchema } from "../../../lib/gen/mcpacp/api/v1/event_service_pb.ts";
import type { ConfigSummary } from "../../../lib/gen/mcpacp/common/v1/proxy_pb.ts";
import type { StateSnapshot } from "../../../lib/gen/mcpacp/common/v1/snapshot_pb.ts";
import type { ProxyControl } from "../../../lib/gen/mcpacp/control/v1/control_pb.ts";
import type { AppPaths } from "../../../lib/paths/index.ts";
import type { GrpcClient } from "../../../lib/rpc/index.ts";

/** A typed lib/rpc client of one proxy's ProxyControl socket. */
export type ProxyControlClient = GrpcClient<typeof ProxyControl>;

export type EventInit = MessageInitShape<typeof EventSchema>;

/** A proxy attached to the manager over the ManagerLink (a registry entry). */
export interface AttachedProxy {
  readonly proxyName: string;
  readonly proxyId: string;
  /** Id of the proxy's current run. */
  readonly instanceId: string;
  readonly pid: number;
  /** Absolute path of the proxy's ProxyControl socket. */
  readonly controlSocket: string;
  readonly connectedAt: Date;
  readonly configSummary: ConfigSummary | undefined;
  /** The manager's cached live state (pending, cached, stats), once the proxy has sent a snapshot. */
  snapshot?(): StateSnapshot | undefined;
}

/** The identity approvals are resolved as (the local OS user in local identity mode). */
export interface ApproverIdentity {
  subjectId: string;
  displayName: string;
}

/** Facts about this manager run, for ManagerService.GetStatus. */
export interface ManagerFacts {
  readonly pid: number;
  readonly version: string;
  readonly startedAt: Date;
  /** http://127.0.0.1:<port> of the dashboard, once the gateway listens. */
  uiUrl(): string | undefined;
}

export interface ManagerApiDeps {
  readonly paths: AppPaths;
  /** Attached proxies; lookups by name and proxy_id are done over list(). */
  readonly registry: { list(): readonly AttachedProxy[] };
  /**
   * A client of the proxy's control socket (owned by the caller, never closed here). With
   * `fresh`, a cached channel is dropped first: after a proxy restart an old grpc-js channel may
   * sit in reconnect backoff and fail calls that a new one would get through.
   */
  proxyControl(proxy: AttachedProxy, options?: { fresh?: boolean }): ProxyControlClient;
  readonly events: { publish(event: EventInit): void; readonly subscriberCount: number };
  readonly manager: ManagerFacts;
  /** Who the caller resolves approvals as; null = no identity (UNAUTHENTICATED). */
  approver(): ApproverIdentity | null;
  now(): Date;
  /** Deadline of calls forwarded to a proxy; default 30 s (spec manager.md §13). */
  readonly controlTimeoutMs?: number;
}
