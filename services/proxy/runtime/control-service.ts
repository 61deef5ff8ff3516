// ProxyControl on the proxy's control socket: the RPCs whose data exists in this version, each
// answered from live state. Every other RPC answers UNIMPLEMENTED (a partial binding in lib/rpc).
import { durationFromMs, timestampFromDate } from "@bufbuild/protobuf/wkt";
import { loadProxyConfig, type ProxyConfig } from "../../../lib/config/index.ts";
import { BackendTransport, IdentityMode } from "../../../lib/gen/mcpacp/common/v1/proxy_pb.ts";
import { ProxyControl } from "../../../lib/gen/mcpacp/control/v1/control_pb.ts";
import type { AppPaths } from "../../../lib/paths/index.ts";
import { type GrpcServiceBinding, partialServiceBinding } from "../../../lib/rpc/index.ts";
import type { BackendSelection } from "../backend/index.ts";
import { PROXY_VERSION } from "../backend/index.ts";
import type { ReloadResult } from "../policy/index.ts";
import { policyReloadMessage, proxyConfigMessage } from "./proto-mapping.ts";
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

export function controlServiceBinding(state: ControlState): GrpcServiceBinding<typeof ProxyControl> {
  const uptime = () => durationFromMs(Date.now() - state.startedAt.getTime());
  return partialServiceBinding(ProxyControl, {
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
        managerAttached: false,
        approverAvailable: false,
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
    reloadPolicy: () => ({ result: policyReloadMessage(state.policy.reload("rpc")) }),
    getRunningConfig: () => ({
      config: proxyConfigMessage(state.config),
      configPath: state.configPath,
      logDir: state.logDir,
      loadedAt: timestampFromDate(state.configLoadedAt),
    }),
  });
}
