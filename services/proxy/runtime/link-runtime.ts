// The running proxy's side of the manager link: registers with the manager (auto-starting it
// unless headless), sends a snapshot after every attach and events as they happen, and turns the
// manager's ui_status into dashboard presence for HITL. Loaded after the MCP handshake, like the
// control socket: grpc-js must stay off the client's first round trip.
import { join } from "node:path";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { BackendTransport, IdentityMode } from "../../../lib/gen/mcpacp/common/v1/proxy_pb.ts";
import type { ProxyEvent } from "../../../lib/gen/mcpacp/common/v1/event_pb.ts";
import { PROXY_VERSION } from "../backend/user-agent.ts";
import type { SecurityShutdown } from "../audit/security-shutdown.ts";
import { approvalProxyEvent, cacheChangeProxyEvents } from "../hitl/proto.ts";
import type { ReloadResult } from "../policy/reload-result.ts";
import type { BackendExit } from "../relay/index.ts";
import { approvalControlState, type ControlState, statsControlState } from "./control-service.ts";
import { currentStats, stateSnapshotMessage } from "./control-stats.ts";
import { backendDisconnectedEvent, criticalShutdownEvent, newLogEntriesEvent, policyReloadEvent, statsUpdatedEvent } from "./link-events.ts";

/** How often the link looks for new requests to report as stats and log growth. */
export const LINK_STATS_INTERVAL_MS = 500;

/** Set to 1 to attach only to a manager that already runs (never spawn one). */
export const NO_AUTOSTART_ENV = "MCP_ACP_NO_AUTOSTART";

const CLI_ENTRY = join(import.meta.dir, "..", "..", "..", "cli", "main.ts");

export interface LinkRuntimeOptions {
  state: ControlState;
  headless: boolean;
  /** Version label of the loaded config (config_history), for the registration. */
  configVersion: string;
  /** Policy reload listeners are registered here. */
  onPolicyReload(listener: (result: ReloadResult) => void): void;
  /** The fail-closed shutdown, when this run audits. */
  shutdown: SecurityShutdown | null;
  /** Decision records written so far (log growth for the dashboard's log views). */
  logEntriesWritten(): number;
  env?: Record<string, string | undefined>;
}

export interface LinkRuntime {
  readonly connected: boolean;
  /** The relay saw the backend go away. */
  backendExited(exit: BackendExit): void;
  close(): Promise<void>;
}

export async function startLinkRuntime(options: LinkRuntimeOptions): Promise<LinkRuntime> {
  const { state } = options;
  const env = options.env ?? process.env;
  const { startManagerLink } = await import("../link/manager-link.ts");
  const approvals = approvalControlState(state);
  const stats = statsControlState(state);
  const link = startManagerLink({
    paths: state.paths,
    register: {
      proxyName: state.name,
      proxyId: state.config.proxy_id,
      instanceId: state.instanceId,
      pid: process.pid,
      controlSocket: state.socketPath,
      version: PROXY_VERSION,
      startedAt: timestampFromDate(state.startedAt),
      configSummary: {
        serverName: state.config.backend.server_name,
        transport: state.backend?.transport === "streamablehttp" ? BackendTransport.STREAMABLE_HTTP : BackendTransport.STDIO,
        backendTarget: state.backend === null ? "" : state.backend.transport === "stdio" ? state.backend.stdio.command : state.backend.http.url,
        mtlsEnabled: state.config.mtls != null,
        identityMode: IdentityMode.LOCAL,
        configVersion: options.configVersion,
        policyVersion: state.policy.snapshot.version,
        hitlTimeoutSeconds: state.config.hitl.timeout_seconds,
      },
    },
    snapshot: () => stateSnapshotMessage(stats, approvals),
    onUiStatus: (status) => state.hitl.broker.setDashboardPresent(status.browserConnected),
    logger: state.logger,
    headless: options.headless,
    cliEntry: CLI_ENTRY,
    autoStart: !options.headless && env[NO_AUTOSTART_ENV] !== "1",
    autoStartOptions: { env: { ...env, [NO_AUTOSTART_ENV]: undefined } },
  });
  const publish = (event: ProxyEvent | null): void => {
    if (event !== null) link.publish(event);
  };
  const unsubscribers = [
    state.hitl.broker.subscribe((event) => publish(approvalProxyEvent(event, approvals.identity))),
    state.hitl.cache.onChange((change) => {
      for (const event of cacheChangeProxyEvents(change, state.hitl.cache.list(), state.hitl.cache.ttlSeconds)) publish(event);
    }),
    options.shutdown?.onCriticalShutdown((event) => publish(criticalShutdownEvent(event))) ?? (() => {}),
  ];
  let closed = false;
  options.onPolicyReload((result) => {
    if (!closed) publish(policyReloadEvent(result, result.status === "success" ? state.hitl.clearedByLastReload : 0));
  });

  let reportedRequests = state.counters().requestsTotal;
  let reportedEntries = options.logEntriesWritten();
  const ticker = setInterval(() => {
    if (!link.connected) return;
    const requests = state.counters().requestsTotal;
    const entries = options.logEntriesWritten();
    if (requests !== reportedRequests) publish(statsUpdatedEvent(currentStats(stats)));
    if (entries !== reportedEntries) publish(newLogEntriesEvent(entries - reportedEntries));
    reportedRequests = requests;
    reportedEntries = entries;
  }, LINK_STATS_INTERVAL_MS);
  ticker.unref?.();

  return {
    get connected() {
      return link.connected;
    },
    backendExited: (exit) => publish(backendDisconnectedEvent(exit, state.config.backend.server_name)),
    close: async () => {
      closed = true;
      clearInterval(ticker);
      for (const unsubscribe of unsubscribers) unsubscribe();
      await link.close();
    },
  };
}
