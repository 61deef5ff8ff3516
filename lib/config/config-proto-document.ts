// mcpacp.common.v1.ProxyConfig → config.json's shape, for edits that arrive over the API. proto3
// cannot tell 0 from unset, so a 0 number means "the default" and the key is left out for the
// schema to fill; enums left UNSPECIFIED have no file spelling and are reported, not guessed.
import { LogLevel, type ProxyConfig as ProxyConfigMessage } from "../gen/mcpacp/common/v1/config_pb.ts";
import { transportName } from "./config-proto.ts";

/** A request's value that has no file spelling (an UNSPECIFIED enum), by dotted path. */
export interface UnmappableValue {
  field: string;
  description: string;
}

/** A JSON object in the file's shape. */
export type ConfigJsonMap = { [key: string]: unknown };

function positive(value: number): number | undefined {
  return value === 0 ? undefined : value;
}

function withoutUndefined(object: ConfigJsonMap): ConfigJsonMap {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined));
}

/**
 * The message in the file's shape (for the paths an update mask copies), plus the values that
 * cannot be written (enums left UNSPECIFIED).
 */
export function proxyConfigDocument(message: ProxyConfigMessage): { document: ConfigJsonMap; unmappable: UnmappableValue[] } {
  const unmappable: UnmappableValue[] = [];
  const document: ConfigJsonMap = {};
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
