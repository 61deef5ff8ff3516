// Turns collected `proxy add` inputs into a validated ProxyConfig with the spec's defaults.
import {
  DEFAULT_LIMITS,
  DEFAULT_APPROVAL_TTL_SECONDS,
  DEFAULT_HITL_TIMEOUT_SECONDS,
  generateProxyId,
  parseProxyConfig,
  type ProxyConfig,
} from "../../../lib/config/index.ts";
import type { AddInputs } from "./add-inputs.ts";

export const DEFAULT_HITL: ProxyConfig["hitl"] = {
  timeout_seconds: DEFAULT_HITL_TIMEOUT_SECONDS,
  default_on_timeout: "deny",
  approval_ttl_seconds: DEFAULT_APPROVAL_TTL_SECONDS,
};

export function buildProxyConfig(inputs: AddInputs, file: string, now: Date = new Date()): ProxyConfig {
  const backend: ProxyConfig["backend"] = { server_name: inputs.serverName, transport: inputs.transport };
  if (inputs.stdio !== undefined) {
    backend.stdio = {
      command: inputs.stdio.command,
      args: inputs.stdio.args,
      attestation: inputs.stdio.sha256 === undefined ? null : { expected_sha256: inputs.stdio.sha256, require_signature: false },
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
  // The library schema is the authority; a rule it enforces that the CLI missed fails here,
  // before anything is written.
  return parseProxyConfig(draft, file);
}
