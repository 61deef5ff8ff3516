// Defaults and limits of spec cli-config-auth.md §2 and §12.

export const DEFAULT_UI_PORT = 8765;
export const UI_PORT_MIN = 1024;
export const UI_PORT_MAX = 65535;

export const DEFAULT_OIDC_SCOPES: readonly string[] = ["openid", "profile", "email", "offline_access"];

export const DEFAULT_HTTP_TIMEOUT_SECONDS = 30;
export const HTTP_TIMEOUT_MIN = 1;
export const HTTP_TIMEOUT_MAX = 300;

export const DEFAULT_HITL_TIMEOUT_SECONDS = 60;
export const HITL_TIMEOUT_MIN = 5;
export const HITL_TIMEOUT_MAX = 300;

export const DEFAULT_APPROVAL_TTL_SECONDS = 600;
export const APPROVAL_TTL_MIN = 300;
export const APPROVAL_TTL_MAX = 900;

// Request limits (spec policy.md §9): global 10 req/s with bursts of 50; 30 calls of one tool a minute.
export const DEFAULT_REQUESTS_PER_SECOND = 10;
export const DEFAULT_BURST = 50;
export const DEFAULT_TOOL_CALLS_PER_WINDOW = 30;
export const DEFAULT_TOOL_WINDOW_SECONDS = 60;
export const LIMIT_MAX = 1_000_000;
export const TOOL_WINDOW_MAX_SECONDS = 86_400;

export const PROXY_NAME_MAX_LENGTH = 64;
export const RESERVED_PROXY_NAMES: readonly string[] = ["manager", "all", "default"];

export const TRANSPORTS = ["stdio", "streamablehttp", "auto"] as const;
export const LOG_LEVELS = ["DEBUG", "INFO"] as const;
export const AUTH_MODES = ["local", "oidc"] as const;
