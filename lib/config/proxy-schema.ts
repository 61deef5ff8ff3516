import { Checker, isJsonObject, type JsonObject } from "./checker.ts";
import {
  APPROVAL_TTL_MAX,
  APPROVAL_TTL_MIN,
  DEFAULT_APPROVAL_TTL_SECONDS,
  DEFAULT_BURST,
  DEFAULT_HITL_TIMEOUT_SECONDS,
  DEFAULT_HTTP_TIMEOUT_SECONDS,
  DEFAULT_REQUESTS_PER_SECOND,
  DEFAULT_TOOL_CALLS_PER_WINDOW,
  DEFAULT_TOOL_WINDOW_SECONDS,
  HITL_TIMEOUT_MAX,
  HITL_TIMEOUT_MIN,
  HTTP_TIMEOUT_MAX,
  HTTP_TIMEOUT_MIN,
  LIMIT_MAX,
  LOG_LEVELS,
  TOOL_WINDOW_MAX_SECONDS,
  TRANSPORTS,
} from "./constants.ts";
import { ConfigError, ConfigErrorCode, formatIssues } from "./errors.ts";
import { PROXY_ID_PATTERN } from "./identifiers.ts";
import { readSchemaVersion } from "./schema-version.ts";
import { backendUrlProblem } from "./url-rules.ts";

export type Transport = (typeof TRANSPORTS)[number];
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface AttestationConfig {
  slsa_owner?: string;
  /** SHA-256 of the backend binary, 64 lower-case hex characters. */
  expected_sha256?: string;
  require_signature: boolean;
}

export interface StdioBackendConfig {
  command: string;
  args: string[];
  attestation?: AttestationConfig | null;
}

export interface HttpBackendConfig {
  url: string;
  /** Seconds, 1–300. */
  timeout: number;
  /** Account name of the API key in the secret store; never the secret itself. */
  credential_key?: string | null;
}

export interface BackendConfig {
  server_name: string;
  transport: Transport;
  stdio?: StdioBackendConfig;
  http?: HttpBackendConfig;
}

export interface HitlConfig {
  timeout_seconds: number;
  default_on_timeout: "deny";
  approval_ttl_seconds: number;
}

/** Request limits that stop a runaway agent (spec policy.md §9); defaults follow the spec. */
export interface LimitsConfig {
  /** Global token bucket: sustained requests per second … */
  requests_per_second: number;
  /** … and how many may arrive at once. */
  burst: number;
  /** Per-tool loop limiter: calls of one tool allowed within the window. */
  tool_calls_per_window: number;
  tool_window_seconds: number;
}

export interface MtlsConfig {
  client_cert_path: string;
  client_key_path: string;
  ca_bundle_path: string;
}

/** proxies/<name>/config.json. The proxy's name is its directory and is never stored here. */
export interface ProxyConfig {
  schema_version: 1;
  proxy_id: string;
  created_at: string;
  backend: BackendConfig;
  hitl: HitlConfig;
  limits: LimitsConfig;
  mtls?: MtlsConfig | null;
  log_level: LogLevel;
  include_payloads: boolean;
}

export const PROXY_CONFIG_KEYS = ["schema_version", "proxy_id", "created_at", "backend", "hitl", "limits", "mtls", "log_level", "include_payloads"] as const;

const SHA256_PATTERN = /^[0-9a-f]{64}$/;
const UTC_TIMESTAMP_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

function readAttestation(stdio: JsonObject, c: Checker): AttestationConfig | null | undefined {
  const base = "backend.stdio.attestation";
  const att = c.object(stdio, "attestation", "backend.stdio", { nullable: true });
  if (att === undefined || att === null) return att;
  c.knownKeys(att, base, ["slsa_owner", "expected_sha256", "require_signature"]);
  const out: AttestationConfig = { require_signature: c.boolean(att, "require_signature", base, false) };
  const owner = c.string(att, "slsa_owner", base, { nonEmpty: true, nullable: true });
  if (typeof owner === "string") out.slsa_owner = owner;
  const sha = c.string(att, "expected_sha256", base, { nullable: true });
  if (typeof sha === "string") {
    if (SHA256_PATTERN.test(sha)) out.expected_sha256 = sha;
    else c.add(`${base}.expected_sha256`, "must be 64 lower-case hex characters (a SHA-256 digest)");
  }
  return out;
}

function readStdio(backend: JsonObject, c: Checker): StdioBackendConfig | undefined {
  const stdio = c.object(backend, "stdio", "backend", { nullable: true });
  if (stdio === undefined || stdio === null) return undefined;
  c.knownKeys(stdio, "backend.stdio", ["command", "args", "attestation"]);
  const out: StdioBackendConfig = {
    command: c.requiredString(stdio, "command", "backend.stdio"),
    args: c.stringArray(stdio, "args", "backend.stdio", []),
  };
  const attestation = readAttestation(stdio, c);
  if (attestation !== undefined) out.attestation = attestation;
  return out;
}

function readHttp(backend: JsonObject, c: Checker): HttpBackendConfig | undefined {
  const http = c.object(backend, "http", "backend", { nullable: true });
  if (http === undefined || http === null) return undefined;
  c.knownKeys(http, "backend.http", ["url", "timeout", "credential_key"]);
  const url = c.requiredString(http, "url", "backend.http");
  if (url !== "") {
    const problem = backendUrlProblem(url);
    if (problem !== undefined) c.add("backend.http.url", problem);
  }
  const out: HttpBackendConfig = {
    url,
    timeout: c.integer(http, "timeout", "backend.http", HTTP_TIMEOUT_MIN, HTTP_TIMEOUT_MAX, DEFAULT_HTTP_TIMEOUT_SECONDS),
  };
  const credentialKey = c.string(http, "credential_key", "backend.http", { nonEmpty: true, nullable: true });
  if (credentialKey !== undefined) out.credential_key = credentialKey;
  return out;
}

function readBackend(obj: JsonObject, c: Checker): BackendConfig {
  const backend = c.object(obj, "backend", "", { required: true });
  if (backend === undefined || backend === null) return { server_name: "", transport: "auto" };
  c.knownKeys(backend, "backend", ["server_name", "transport", "stdio", "http"]);
  const out: BackendConfig = {
    server_name: c.requiredString(backend, "server_name", "backend"),
    transport: c.oneOf(backend, "transport", "backend", TRANSPORTS, "auto"),
  };
  // Only judge the transport table when the sections themselves had the right shape.
  const stdioGiven = backend.stdio !== undefined && backend.stdio !== null;
  const httpGiven = backend.http !== undefined && backend.http !== null;
  const stdio = readStdio(backend, c);
  const http = readHttp(backend, c);
  if (stdio !== undefined) out.stdio = stdio;
  if (http !== undefined) out.http = http;
  if (out.transport === "stdio" && !stdioGiven) c.add("backend.stdio", "is required when transport is 'stdio'");
  if (out.transport === "streamablehttp" && !httpGiven) c.add("backend.http", "is required when transport is 'streamablehttp'");
  if (out.transport === "auto" && !stdioGiven && !httpGiven) {
    c.add("backend", "transport 'auto' needs backend.stdio or backend.http (or both)");
  }
  return out;
}

function readHitl(obj: JsonObject, c: Checker): HitlConfig {
  const hitl = c.object(obj, "hitl", "") ?? {};
  c.knownKeys(hitl, "hitl", ["timeout_seconds", "default_on_timeout", "approval_ttl_seconds"]);
  return {
    timeout_seconds: c.integer(hitl, "timeout_seconds", "hitl", HITL_TIMEOUT_MIN, HITL_TIMEOUT_MAX, DEFAULT_HITL_TIMEOUT_SECONDS),
    default_on_timeout: c.oneOf(hitl, "default_on_timeout", "hitl", ["deny"] as const, "deny"),
    approval_ttl_seconds: c.integer(hitl, "approval_ttl_seconds", "hitl", APPROVAL_TTL_MIN, APPROVAL_TTL_MAX, DEFAULT_APPROVAL_TTL_SECONDS),
  };
}

export const DEFAULT_LIMITS: Readonly<LimitsConfig> = {
  requests_per_second: DEFAULT_REQUESTS_PER_SECOND,
  burst: DEFAULT_BURST,
  tool_calls_per_window: DEFAULT_TOOL_CALLS_PER_WINDOW,
  tool_window_seconds: DEFAULT_TOOL_WINDOW_SECONDS,
};

function readLimits(obj: JsonObject, c: Checker): LimitsConfig {
  const limits = c.object(obj, "limits", "") ?? {};
  c.knownKeys(limits, "limits", ["requests_per_second", "burst", "tool_calls_per_window", "tool_window_seconds"]);
  return {
    requests_per_second: c.integer(limits, "requests_per_second", "limits", 1, LIMIT_MAX, DEFAULT_REQUESTS_PER_SECOND),
    burst: c.integer(limits, "burst", "limits", 1, LIMIT_MAX, DEFAULT_BURST),
    tool_calls_per_window: c.integer(limits, "tool_calls_per_window", "limits", 1, LIMIT_MAX, DEFAULT_TOOL_CALLS_PER_WINDOW),
    tool_window_seconds: c.integer(limits, "tool_window_seconds", "limits", 1, TOOL_WINDOW_MAX_SECONDS, DEFAULT_TOOL_WINDOW_SECONDS),
  };
}

const MTLS_KEYS = ["client_cert_path", "client_key_path", "ca_bundle_path"] as const;

function readMtls(obj: JsonObject, c: Checker): MtlsConfig | null | undefined {
  const mtls = c.object(obj, "mtls", "", { nullable: true });
  if (mtls === undefined || mtls === null) return mtls;
  c.knownKeys(mtls, "mtls", MTLS_KEYS);
  // An mtls block is a statement of intent: a partial one is an error, never "no mTLS".
  for (const key of MTLS_KEYS) {
    if (mtls[key] === undefined) c.add(`mtls.${key}`, "is required (client_cert_path, client_key_path and ca_bundle_path go together)");
  }
  return {
    client_cert_path: c.string(mtls, "client_cert_path", "mtls", { nonEmpty: true }) ?? "",
    client_key_path: c.string(mtls, "client_key_path", "mtls", { nonEmpty: true }) ?? "",
    ca_bundle_path: c.string(mtls, "ca_bundle_path", "mtls", { nonEmpty: true }) ?? "",
  };
}

function readProxyId(obj: JsonObject, c: Checker): string {
  const id = c.requiredString(obj, "proxy_id", "");
  if (id !== "" && !PROXY_ID_PATTERN.test(id)) c.add("proxy_id", "must look like px_<8 lower-case hex>:<lower-case name>, e.g. px_1a2b3c4d:filesystem");
  return id;
}

function readCreatedAt(obj: JsonObject, c: Checker): string {
  const at = c.requiredString(obj, "created_at", "");
  if (at !== "" && (!UTC_TIMESTAMP_PATTERN.test(at) || Number.isNaN(Date.parse(at)))) {
    c.add("created_at", "must be a UTC ISO-8601 timestamp ending in 'Z', e.g. 2025-01-31T12:00:00Z");
  }
  return at;
}

/**
 * Validates parsed config.json content; throws ConfigError(Invalid) listing every problem.
 * Absent optional keys get their defaults; `hint` replaces the generic recovery hint.
 */
export function parseProxyConfig(raw: unknown, file: string, hint?: string): ProxyConfig {
  const c = new Checker();
  if (!isJsonObject(raw)) c.add("", "must be a JSON object");
  const obj: JsonObject = isJsonObject(raw) ? raw : {};
  if (c.issues.length > 0) throw invalidProxy(file, c, hint); // field errors of a non-object say nothing new
  c.knownKeys(obj, "", PROXY_CONFIG_KEYS);
  const config: ProxyConfig = {
    schema_version: readSchemaVersion(obj, c),
    proxy_id: readProxyId(obj, c),
    created_at: readCreatedAt(obj, c),
    backend: readBackend(obj, c),
    hitl: readHitl(obj, c),
    limits: readLimits(obj, c),
    log_level: c.oneOf(obj, "log_level", "", LOG_LEVELS, "INFO"),
    include_payloads: c.boolean(obj, "include_payloads", "", true),
  };
  const mtls = readMtls(obj, c);
  if (mtls !== undefined) config.mtls = mtls;
  if (c.issues.length > 0) throw invalidProxy(file, c, hint);
  return config;
}

function invalidProxy(file: string, c: Checker, hint: string | undefined): ConfigError {
  return new ConfigError(ConfigErrorCode.Invalid, `Invalid proxy configuration in ${file}:\n${formatIssues(c.issues)}`, {
    path: file,
    issues: c.issues,
    hint: hint ?? `Fix the listed fields in ${file} (for example with 'mcp-acp config edit --proxy <name>').`,
  });
}
