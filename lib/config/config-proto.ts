// config.json and manager.json (snake_case file models) → mcpacp.common.v1 messages. The one
// mapping the proxy (ProxyControl) and the manager (ConfigService, ProxyService) both answer with,
// so a config looks the same whichever side reports it.
import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import {
  LogLevel,
  type ManagerConfig as ManagerConfigMessage,
  ManagerConfigSchema,
  type ProxyConfig as ProxyConfigMessage,
  ProxyConfigSchema,
  TimeoutAction,
} from "../gen/mcpacp/common/v1/config_pb.ts";
import { BackendTransport, IdentityMode } from "../gen/mcpacp/common/v1/proxy_pb.ts";
import type { ManagerConfig } from "./manager-schema.ts";
import type { ProxyConfig, Transport } from "./proxy-schema.ts";

const TRANSPORTS: Readonly<Record<Transport, BackendTransport>> = {
  stdio: BackendTransport.STDIO,
  streamablehttp: BackendTransport.STREAMABLE_HTTP,
  auto: BackendTransport.AUTO,
};

export function backendTransportOf(transport: Transport): BackendTransport {
  return TRANSPORTS[transport];
}

/** The file spelling of a transport; undefined for UNSPECIFIED. */
export function transportName(transport: BackendTransport): Transport | undefined {
  switch (transport) {
    case BackendTransport.STDIO:
      return "stdio";
    case BackendTransport.STREAMABLE_HTTP:
      return "streamablehttp";
    case BackendTransport.AUTO:
      return "auto";
    default:
      return undefined;
  }
}

/** config.json as loaded → mcpacp.common.v1.ProxyConfig (an unparseable created_at stays unset). */
export function proxyConfigMessage(config: ProxyConfig): ProxyConfigMessage {
  const { backend, hitl, limits } = config;
  const attestation = backend.stdio?.attestation;
  const createdMs = Date.parse(config.created_at);
  return create(ProxyConfigSchema, {
    proxyId: config.proxy_id,
    createdAt: Number.isNaN(createdMs) ? undefined : timestampFromMs(createdMs),
    backend: {
      serverName: backend.server_name,
      transport: backendTransportOf(backend.transport),
      stdio:
        backend.stdio === undefined
          ? undefined
          : {
              command: backend.stdio.command,
              args: [...backend.stdio.args],
              attestation:
                attestation == null
                  ? undefined
                  : { slsaOwner: attestation.slsa_owner ?? "", expectedSha256: attestation.expected_sha256 ?? "", requireSignature: attestation.require_signature },
            },
      http:
        backend.http === undefined
          ? undefined
          : { url: backend.http.url, timeout: backend.http.timeout, credentialKey: backend.http.credential_key ?? "" },
    },
    // Only deny is accepted on timeout (default deny), whatever older files spell.
    hitl: { timeoutSeconds: hitl.timeout_seconds, defaultOnTimeout: TimeoutAction.DENY, approvalTtlSeconds: hitl.approval_ttl_seconds },
    limits: {
      requestsPerSecond: limits.requests_per_second,
      burst: limits.burst,
      toolCallsPerWindow: limits.tool_calls_per_window,
      toolWindowSeconds: limits.tool_window_seconds,
    },
    mtls:
      config.mtls == null
        ? undefined
        : { clientCertPath: config.mtls.client_cert_path, clientKeyPath: config.mtls.client_key_path, caBundlePath: config.mtls.ca_bundle_path },
    logLevel: config.log_level === "DEBUG" ? LogLevel.DEBUG : LogLevel.INFO,
    includePayloads: config.include_payloads,
  });
}

/** manager.json as loaded → mcpacp.common.v1.ManagerConfig. */
export function managerConfigMessage(config: ManagerConfig): ManagerConfigMessage {
  return create(ManagerConfigSchema, {
    uiPort: config.ui_port,
    logDir: config.log_dir,
    identityMode: config.auth.mode === "oidc" ? IdentityMode.OIDC : IdentityMode.LOCAL,
    oidc:
      config.auth.mode === "oidc"
        ? { issuer: config.auth.oidc.issuer, clientId: config.auth.oidc.client_id, audience: config.auth.oidc.audience, scopes: [...config.auth.oidc.scopes] }
        : undefined,
  });
}
