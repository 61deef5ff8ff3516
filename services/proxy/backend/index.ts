export { type HttpFailureContext, classifyHttpFailure, statusHint } from "./classify.ts";
export { INHERITED_ENV_VARS, minimalEnv } from "./env.ts";
export { BackendError, BackendErrorCode, type BackendErrorDetails, isBackendError } from "./errors.ts";
export { type BackendFetchOptions, createBackendFetch, displayUrl, type FetchLike, requestIdsOf } from "./http-fetch.ts";
export { type HttpBackendOptions, HttpBackendTransport } from "./http-transport.ts";
export { createBackend, type OpenBackendOptions, type OpenedBackend, openBackend } from "./open.ts";
export { declaredProtocolVersion, PROTOCOL_VERSION_META_KEY, protocolHeadersFor } from "./protocol-headers.ts";
export {
  PROBE_ATTEMPTS,
  PROBE_RETRY_DELAYS_MS,
  PROBE_TIMEOUT_CAP_SECONDS,
  type ProbeOptions,
  type ProbeResult,
  probeHttpBackend,
} from "./probe.ts";
export { type BackendSelection, type SelectBackendOptions, selectBackend } from "./select.ts";
export type { BackendSettings, BackendTransportKind, HttpBackendSettings, StdioBackendSettings } from "./settings.ts";
export {
  DEFAULT_BACKEND_MAX_MESSAGE_BYTES,
  resolveCommand,
  type StdioBackendOptions,
  StdioBackendTransport,
} from "./stdio-transport.ts";
export { PROXY_VERSION, USER_AGENT } from "./user-agent.ts";
