// config.json (lib/config ProxyConfig, snake_case) ↔ mcpacp.common.v1.ProxyConfig. Field names
// match the file's keys. proto3 cannot tell 0 from unset, so a 0 number on the way in means "the
// default" and the key is left out for the schema to fill.
import { create } from "@bufbuild/protobuf";
import type { ManagerConfig as ManagerConfigFile, ProxyConfig as ProxyConfigFile, Transport } from "../../../../lib/config/index.ts";
import {
  LogLevel,
  type ManagerConfig as ManagerConfigMessage,
  ManagerConfigSchema,
  type ProxyConfig as ProxyConfigMessage,
  ProxyConfigSchema,
  TimeoutAction,
} from "../../../../lib/gen/mcpacp/common/v1/config_pb.ts";
import { BackendTransport, IdentityMode } from "../../../../lib/gen/mcpacp/common/v1/proxy_pb.ts";
import { timestampOfIso } from "../common/time.ts";

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

export function proxyConfigMessage(config: ProxyConfigFile): ProxyConfigMessage {
  const { backend, hitl, limits } = config;
  const attestation = backend.stdio?.attestation;
  return create(ProxyConfigSchema, {
    proxyId: config.proxy_id,
    createdAt: timestampOfIso(config.created_at),
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

export function managerConfigMessage(config: ManagerConfigFile): ManagerConfigMessage {
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

/** A request's value that has no file spelling (an UNSPECIFIED enum), by dotted path. */
export interface UnmappableValue {
  field: string;
  description: string;
}

export type JsonMap = { [key: string]: unknown };

function positive(value: number): number | undefined {
  return value === 0 ? undefined : value;
}

function withoutUndefined(object: JsonMap): JsonMap {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined));
}

/**
 * The request's ProxyConfig in the file's shape (for the paths an update mask copies), plus the
 * values that cannot be written (enums left UNSPECIFIED).
 */
export function proxyConfigDocument(message: ProxyConfigMessage): { document: JsonMap; unmappable: UnmappableValue[] } {
  const unmappable: UnmappableValue[] = [];
  const document: JsonMap = {};
  const backend = message.backend;
  if (backend !== undefined) {
    const transport = transportName(backend.transport);
    if (transport === undefined) unmappable.push({ field: "backend.transport", description: "must be STDIO, STREAMABLE_HTTP or AUTO" });
    const stdio = backend.stdio;
    const attestation = stdio?.attestation;
    const emptyAttestation = attestation === undefined || (attestation.slsaOwner === "" && attestation.expectedSha256 === "" && !attestation.requireSignature);
    document.backend = withoutUndefined({
      server_name: backend.serverName,
      transport,
      stdio:
        stdio === undefined
          ? undefined
          : {
              command: stdio.command,
              args: [...stdio.args],
              attestation: emptyAttestation
                ? null
                : withoutUndefined({
                    slsa_owner: attestation.slsaOwner === "" ? undefined : attestation.slsaOwner,
                    expected_sha256: attestation.expectedSha256 === "" ? undefined : attestation.expectedSha256.toLowerCase(),
                    require_signature: attestation.requireSignature,
                  }),
            },
      http: backend.http === undefined ? undefined : withoutUndefined({ url: backend.http.url, timeout: positive(backend.http.timeout) }),
    });
  }
  if (message.hitl !== undefined) {
    document.hitl = withoutUndefined({
      timeout_seconds: positive(message.hitl.timeoutSeconds),
      default_on_timeout: "deny",
      approval_ttl_seconds: positive(message.hitl.approvalTtlSeconds),
    });
  }
  const mtls = message.mtls;
  document.mtls =
    mtls === undefined || (mtls.clientCertPath === "" && mtls.clientKeyPath === "" && mtls.caBundlePath === "")
      ? null
      : { client_cert_path: mtls.clientCertPath, client_key_path: mtls.clientKeyPath, ca_bundle_path: mtls.caBundlePath };
  if (message.logLevel === LogLevel.DEBUG) document.log_level = "DEBUG";
  else if (message.logLevel === LogLevel.INFO) document.log_level = "INFO";
  else unmappable.push({ field: "log_level", description: "must be DEBUG or INFO" });
  document.include_payloads = message.includePayloads;
  if (message.limits !== undefined) {
    document.limits = withoutUndefined({
      requests_per_second: positive(message.limits.requestsPerSecond),
      burst: positive(message.limits.burst),
      tool_calls_per_window: positive(message.limits.toolCallsPerWindow),
      tool_window_seconds: positive(message.limits.toolWindowSeconds),
    });
  }
  return { document, unmappable };
}
