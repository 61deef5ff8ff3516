// Limits and names of the Connect gateway (spec/manager.md §12 "Gateway security", §13).

/** Largest accepted request: Content-Length cap on every listener and connect-node readMaxBytes. */
export const MAX_REQUEST_BYTES = 1024 * 1024;

/** Random bytes of the per-start API token (hex-encoded: 64 characters). */
export const API_TOKEN_BYTES = 32;

/** Cookie that carries the API token for the dashboard (HttpOnly, SameSite=Strict, Path=/). */
export const TOKEN_COOKIE_NAME = "mcp_acp_token";

/** Random bytes of a single-use login code (base64url-encoded). */
export const LOGIN_CODE_BYTES = 32;

/** How long a login code from issueLoginCode() can be exchanged for the cookie. */
export const LOGIN_CODE_TTL_MS = 60_000;

/** Query parameter that carries a login code: `/?code=…` or `/auth/exchange?code=…`. */
export const LOGIN_CODE_PARAM = "code";

/** Path that only exchanges a login code (the dashboard root accepts one too). */
export const LOGIN_EXCHANGE_PATH = "/auth/exchange";

/** Default loopback address of the TCP listener. */
export const DEFAULT_GATEWAY_HOST = "127.0.0.1";

/** Shown on the placeholder page when the dashboard's files are missing. */
export const DEFAULT_DASHBOARD_BUILD_COMMAND = "bun run build";

/** Cache-Control of hashed build output under assets/: the name changes when the content does. */
export const IMMUTABLE_CACHE_CONTROL = "public, max-age=31536000, immutable";

/** Cache-Control of other static files. */
export const STATIC_CACHE_CONTROL = "public, max-age=3600";

/** Cache-Control of index.html, so a new build is picked up at once. */
export const INDEX_CACHE_CONTROL = "no-cache";

/** Cache-Control of API responses and of every generated page. */
export const NO_STORE_CACHE_CONTROL = "no-store";

/** How long close() lets open connections finish before it cuts them. */
export const CLOSE_GRACE_MS = 2_000;
