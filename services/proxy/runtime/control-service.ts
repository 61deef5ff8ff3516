// ProxyControl on the proxy's control socket, each RPC answered from live state. NotifyLogin and
// NotifyLogout speak for local identity (no token to pick up or drop; OIDC comes later).
//
import { durationFromMs, timestampFromDate } from "@bufbuild/protobuf/wkt";
import { loadProxyConfig, proxyConfigMessage, type ProxyConfig } from "../../../lib/config/index.ts";
import { BackendTransport, IdentityMode } from "../../../lib/gen/mcpacp/common/v1/proxy_pb.ts";
import { ProxyControl } from "../../../lib/gen/mcpacp/control/v1/control_pb.ts";
import type { AppPaths } from "../../../lib/paths/index.ts";
import { type GrpcServiceBinding, partialServiceBinding, RpcCode, RpcError } from "../../../lib/rpc/index.ts";
import type { BackendSelection } from "../backend/index.ts";
import { PROXY_VERSION } from "../backend/index.ts";
import type { EnforcementCounters } from "../enforcement/types.ts";
import type { ReloadResult } from "../policy/index.ts";
import type { ProxyLogger } from "../relay/log.ts";
import type { LatencySummaries } from "../stats/index.ts";
import { approvalHandlers, type ApprovalControlState } from "./control-approvals.ts";
import { auditHandlers } from "./control-audit.ts";
import { statsHandlers, type StatsControlState } from "./control-stats.ts";
import { compareWithDisk } from "./config-comparison.ts";
import type { HitlRuntime } from "./hitl-runtime.ts";
import { policyReloadMessage } from "./proto-mapping.ts";
import type { SessionFacts } from "./session-facts.ts";

/** The live state the control service reads; the runtime fills in `backend` once it is chosen. */
export interface ControlState {
  paths: AppPaths;
  name: string;
  instanceId: string;
  startedAt: Date;
  socketPath: string;
  config: ProxyConfig;
  configPath: string;
  configLoadedAt: Date;
  /** `<log_dir>/mcp-acp/proxies/<name>`, expanded. */
  logDir: string;
  policy: {
    readonly snapshot: { readonly version: string; readonly rules: readonly unknown[] };
    readonly reloadCount: number;
    reload(trigger: "rpc"): ReloadResult;
  };
  /** When the last successful policy swap happened, if any. */
  lastPolicyReloadAt: () => Date | null;
  session: SessionFacts;
  backend: BackendSelection | null;
  /** Who every decision is about; the one local session of this run. */
  subject: { id: string; provenance: "local" | "oidc" };
  /** The MCP session id of this run (bound_session_id of the audit records). */
  sessionId: string;
  hitl: HitlRuntime;
  /** The enforcement pipeline's counters; zeros until the pipeline exists. */
  counters: () => EnforcementCounters;
  /** The persisted latency windows; null when state.db could not be opened for them. */
  latency: { summaries(): LatencySummaries } | null;
  /** Whether this process runs the audit writer (false only in benchmark runs without audit). */
  auditWriterInProcess: boolean;
  /** Starts the fail-closed audit shutdown (null in benchmark runs without audit). */
  failClosed: ((reason: string) => void) | null;
  /** Whether the manager link has a registered attachment right now. */
  managerAttached: () => boolean;
  logger: ProxyLogger;
}

function backendInfo(state: ControlState) {
  const selection = state.backend;
  const base = {
    serverName: state.config.backend.server_name,
    connected: state.session.backendConnected,
    serverInfoName: state.session.serverInfoName,
    serverInfoVersion: state.session.serverInfoVersion,
  };
  if (selection === null) return { ...base, transport: BackendTransport.UNSPECIFIED };
  if (selection.transport === "stdio") {
    return { ...base, transport: BackendTransport.STDIO, command: selection.stdio.command, args: [...selection.stdio.args] };
  }
  return { ...base, transport: BackendTransport.STREAMABLE_HTTP, url: selection.http.url, mtlsEnabled: state.config.mtls != null };
}

/** Whether config.json on disk no longer matches the running config (unreadable counts as changed). */
function configChangedOnDisk(state: ControlState): boolean {
  try {
    return JSON.stringify(loadProxyConfig(state.paths, state.name)) !== JSON.stringify(state.config);
  } catch {
    return true;
  }
}

/** The approval side of the live state (also read by the manager link). */
export function approvalControlState(state: ControlState): ApprovalControlState {
  return {
    broker: state.hitl.broker,
    cache: state.hitl.cache,
    identity: { proxyId: state.config.proxy_id, proxyName: state.name },
    policyVersion: () => state.policy.snapshot.version,
    logger: state.logger,
  };
}

/** The counters and latency side of the live state (also read by the manager link). */
export function statsControlState(state: ControlState): StatsControlState {
  return { counters: () => state.counters(), latency: state.latency, clientName: () => state.session.clientName };
}

export function controlServiceBinding(state: ControlState): GrpcServiceBinding<typeof ProxyControl> {
  const uptime = () => durationFromMs(Date.now() - state.startedAt.getTime());
  const approvals = approvalControlState(state);
  const stats = statsControlState(state);
  return partialServiceBinding(ProxyControl, {
    ...approvalHandlers(approvals),
    ...statsHandlers(stats, approvals),
    ...auditHandlers({ paths: state.paths, name: state.name, proxyId: state.config.proxy_id, logDir: state.logDir, auditWriterInProcess: state.auditWriterInProcess, failClosed: state.failClosed }),
    getInfo: () => ({
      info: {
        proxyName: state.name,
        proxyId: state.config.proxy_id,
        instanceId: state.instanceId,
        pid: process.pid,
        version: PROXY_VERSION,
        mcpProtocolVersion: state.session.protocolVersion,
        backend: backendInfo(state),
        startedAt: timestampFromDate(state.startedAt),
        uptime: uptime(),
        controlSocket: state.socketPath,
        clientId: state.session.clientName,
        identityMode: IdentityMode.LOCAL,
        managerAttached: state.managerAttached(),
        approverAvailable: state.hitl.broker.approverPresent,
      },
    }),
    getControlStatus: () => {
      const lastReload = state.lastPolicyReloadAt();
      return {
        status: {
          running: true,
          uptime: uptime(),
          policyVersion: state.policy.snapshot.version,
          policyRulesCount: state.policy.snapshot.rules.length,
          lastReloadAt: lastReload === null ? undefined : timestampFromDate(lastReload),
          reloadCount: state.policy.reloadCount,
          configChangedOnDisk: configChangedOnDisk(state),
        },
      };
    },
    reloadPolicy: () => {
      const result = state.policy.reload("rpc");
      return { result: policyReloadMessage(result, result.status === "success" ? state.hitl.clearedByLastReload : 0) };
    },
    getRunningConfig: () => ({
      config: proxyConfigMessage(state.config),
      configPath: state.configPath,
      logDir: state.logDir,
      loadedAt: timestampFromDate(state.configLoadedAt),
    }),
    compareConfig: () => ({ comparison: compareWithDisk(state.paths, state.name, state.config, state.configPath) }),
    // Local identity: the subject is the OS user for the whole run; there is no token to pick up.
    notifyLogin: () => {
      throw new RpcError(
        RpcCode.FAILED_PRECONDITION,
        `Proxy '${state.name}' uses local identity (the OS user '${state.subject.id}'); a login changes nothing for it. OIDC identity is not available in this version.`,
      );
    },
    // No token session exists under local identity, so a logout has none to end.
    notifyLogout: () => ({ sessionEnded: false }),
    listAuthSessions: () => ({
      sessions: [{ sessionId: state.sessionId, subjectId: state.subject.id, provenance: state.subject.provenance, startedAt: timestampFromDate(state.startedAt) }],
    }),
  });
}
