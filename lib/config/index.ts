export { PRIVATE_FILE_MODE, writeFileAtomic } from "./atomic-write.ts";
export {
  buildClientSnippet,
  claudeDesktopConfigPath,
  currentLauncher,
  formatSnippet,
  type ClientSnippet,
  type CliLauncher,
  type McpServerEntry,
} from "./client-snippet.ts";
export * from "./constants.ts";
export {
  ConfigError,
  ConfigErrorCode,
  formatIssues,
  type ConfigErrorOptions,
  type ConfigIssue,
} from "./errors.ts";
export { formatJson } from "./format-json.ts";
export {
  PROXY_ID_PATTERN,
  PROXY_NAME_HINT,
  findProxyNameClash,
  generateInstanceId,
  generateProxyId,
  proxyNameProblem,
  sanitizeServerName,
  validateProxyName,
} from "./identifiers.ts";
export {
  MANAGER_CONFIG_KEYS,
  defaultManagerConfig,
  parseManagerConfig,
  type IdentityConfig,
  type ManagerConfig,
  type OidcSettings,
} from "./manager-schema.ts";
export { loadManagerConfig, tryLoadManagerConfig, writeManagerConfig } from "./manager-store.ts";
export {
  DEFAULT_LIMITS,
  PROXY_CONFIG_KEYS,
  parseProxyConfig,
  type AttestationConfig,
  type BackendConfig,
  type HitlConfig,
  type HttpBackendConfig,
  type LimitsConfig,
  type LogLevel,
  type MtlsConfig,
  type ProxyConfig,
  type StdioBackendConfig,
  type Transport,
} from "./proxy-schema.ts";
export { findDuplicateBackends, type BackendIdentity } from "./duplicate-backend.ts";
export { DEFAULT_HITL, buildProxyConfig, type NewProxyInputs } from "./new-proxy-config.ts";
export { normalizeSha256 } from "./sha256-hex.ts";
export { DEFAULT_POLICY, assertNewProxyName, listProxyNames, loadProxyConfig, writeDefaultPolicy, writeProxyConfig } from "./proxy-store.ts";
export { CURRENT_SCHEMA_VERSION } from "./schema-version.ts";
export { backendUrlProblem, issuerUrlProblem } from "./url-rules.ts";
export { backendTransportOf, managerConfigMessage, proxyConfigMessage, transportName } from "./config-proto.ts";
export { proxyConfigDocument, type ConfigJsonMap, type UnmappableValue } from "./config-proto-document.ts";
