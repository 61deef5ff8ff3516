// Turns the values of a new proxy (from `proxy add` or the manager's CreateProxy) into a validated
// ProxyConfig with the spec's defaults, so both create exactly the same config.json.
import { DEFAULT_APPROVAL_TTL_SECONDS, DEFAULT_HITL_TIMEOUT_SECONDS } from "./constants.ts";
import { generateProxyId } from "./identifiers.ts";
import { DEFAULT_LIMITS, parseProxyConfig, type AttestationConfig, type MtlsConfig, type ProxyConfig, type Transport } from "./proxy-schema.ts";

export interface NewProxyInputs {
  serverName: string;
  transport: Transport;
  stdio:
    | {
        command: string;
        args: string[];
        /** Expected SHA-256 of the binary (64 lower-case hex); undefined = not checked. */
        sha256: string | undefined;
        /** GitHub owner whose SLSA provenance must cover the binary; undefined = not checked. */
        slsaOwner?: string | undefined;
        /** macOS: require a valid code signature. */
        requireSignature?: boolean;
      }
    | undefined;
  http: { url: string; timeout: number } | undefined;
  mtls: MtlsConfig | null;
}

export const DEFAULT_HITL: ProxyConfig["hitl"] = {
  timeout_seconds: DEFAULT_HITL_TIMEOUT_SECONDS,
  default_on_timeout: "deny",
  approval_ttl_seconds: DEFAULT_APPROVAL_TTL_SECONDS,
};

function attestationOf(stdio: NonNullable<NewProxyInputs["stdio"]>): AttestationConfig | null {
  const requireSignature = stdio.requireSignature === true;
  if (stdio.sha256 === undefined && stdio.slsaOwner === undefined && !requireSignature) return null;
  const attestation: AttestationConfig = { require_signature: requireSignature };
  if (stdio.slsaOwner !== undefined) attestation.slsa_owner = stdio.slsaOwner;
  if (stdio.sha256 !== undefined) attestation.expected_sha256 = stdio.sha256;
  return attestation;
}

export function buildProxyConfig(inputs: NewProxyInputs, file: string, now: Date = new Date()): ProxyConfig {
  const backend: ProxyConfig["backend"] = { server_name: inputs.serverName, transport: inputs.transport };
  if (inputs.stdio !== undefined) {
    backend.stdio = {
      command: inputs.stdio.command,
      args: inputs.stdio.args,
      attestation: attestationOf(inputs.stdio),
    };
  }
  if (inputs.http !== undefined) {
    backend.http = { url: inputs.http.url, timeout: inputs.http.timeout, credential_key: null };
  }
  const draft: ProxyConfig = {
    schema_version: 1,
    proxy_id: generateProxyId(inputs.serverName),
    created_at: now.toISOString(),
    backend,
    hitl: { ...DEFAULT_HITL },
    limits: { ...DEFAULT_LIMITS },
    mtls: inputs.mtls,
    log_level: "INFO",
    include_payloads: true,
  };
  // The library schema is the authority; a rule it enforces that a caller missed fails here,
  // before anything is written.
  return parseProxyConfig(draft, file);
}
