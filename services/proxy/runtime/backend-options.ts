// Step 8 (spec §4): what the backend connection needs from config.json beyond its address —
// the mTLS client certificate — and the settings this version must refuse rather than ignore.
// Also maps backend failures to startup errors.
import { readFileSync } from "node:fs";
import type { ProxyConfig } from "../../../lib/config/index.ts";
import { expandHome } from "../../../lib/paths/index.ts";
import { BackendError, BackendErrorCode } from "../backend/errors.ts";
import { StartupError, StartupErrorCode } from "./errors.ts";

export interface BackendTls {
  cert: string;
  key: string;
  ca: string;
}

/**
 * Settings a configured proxy relies on for security that this version cannot honour. Running
 * without them would silently drop a protection the user asked for, so start refuses instead.
 */
export function refuseUnsupportedBackendSettings(config: ProxyConfig, configPath: string): void {
  const credential = config.backend.http?.credential_key;
  if (credential != null && config.backend.transport !== "stdio") {
    throw new StartupError(
      StartupErrorCode.ConfigInvalid,
      `backend.http.credential_key in ${configPath} names the API key '${credential}' in the secret store, which this version of mcp-acp cannot read; refusing to connect to the backend without it.`,
      { hint: `Remove backend.http.credential_key from ${configPath} if the backend needs no API key.` },
    );
  }
  const attestation = config.backend.stdio?.attestation;
  const checks = attestation == null ? false : attestation.slsa_owner !== undefined || attestation.expected_sha256 !== undefined || attestation.require_signature;
  if (checks && config.backend.transport !== "streamablehttp") {
    throw new StartupError(
      StartupErrorCode.ConfigInvalid,
      `backend.stdio.attestation in ${configPath} asks for binary attestation, which this version of mcp-acp cannot verify; refusing to spawn an unverified backend.`,
      { hint: `Remove backend.stdio.attestation from ${configPath} to run the backend without attestation.` },
    );
  }
}

/** The mTLS client certificate, key and CA as PEM text; null without an mtls block. */
export function readBackendTls(config: ProxyConfig): BackendTls | null {
  const mtls = config.mtls;
  if (mtls == null) return null;
  const read = (path: string, what: string, key: string): string => {
    const file = expandHome(path);
    try {
      return readFileSync(file, "utf8");
    } catch (error) {
      throw new StartupError(StartupErrorCode.MtlsFileMissing, `mTLS ${what} ${file} cannot be read: ${error instanceof Error ? error.message : String(error)}`, {
        hint: `Check mtls.${key} in the proxy's config.json.`,
        cause: error,
      });
    }
  };
  return {
    cert: read(mtls.client_cert_path, "client certificate", "client_cert_path"),
    key: read(mtls.client_key_path, "client key", "client_key_path"),
    ca: read(mtls.ca_bundle_path, "CA bundle", "ca_bundle_path"),
  };
}

const STARTUP_CODE_FOR: Partial<Record<BackendErrorCode, StartupErrorCode>> = {
  [BackendErrorCode.Timeout]: StartupErrorCode.BackendTimeout,
  [BackendErrorCode.Tls]: StartupErrorCode.BackendTls,
  [BackendErrorCode.NotConfigured]: StartupErrorCode.ConfigInvalid,
  // A STDIO command that does not exist is a config problem (spec: config_not_found).
  [BackendErrorCode.SpawnFailed]: StartupErrorCode.ConfigNotFound,
};

/** A backend that cannot be opened or started → the startup error and its bootstrap event. */
export function backendStartupError(error: unknown): StartupError {
  if (error instanceof StartupError) return error;
  if (error instanceof BackendError) {
    const code = STARTUP_CODE_FOR[error.code] ?? StartupErrorCode.BackendConnectionFailed;
    return new StartupError(code, error.message, { hint: error.hint, cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new StartupError(StartupErrorCode.BackendConnectionFailed, `The backend could not be started: ${message}`, { cause: error });
}
