export { startGateway } from "./start-gateway.ts";
export type { GatewayOptions, GatewayHandle } from "./gateway-options.ts";
export { apiError, domainError, DOMAIN_ERROR_CODES, type DomainErrorCode, type ApiErrorOptions, type ApiFieldViolation } from "./api-error.ts";
export { GatewayError, GatewayErrorCode, isGatewayError } from "./errors.ts";
export type { ActivityKind, ActivityListener } from "./activity.ts";
export { buildAllowList, type AllowList } from "./allow-list.ts";
export { SECURITY_HEADERS, CONTENT_SECURITY_POLICY } from "./security-headers.ts";
export { withReflection } from "./reflection/index.ts";
export {
  MAX_REQUEST_BYTES,
  TOKEN_COOKIE_NAME,
  LOGIN_CODE_TTL_MS,
  LOGIN_CODE_PARAM,
  LOGIN_EXCHANGE_PATH,
  DEFAULT_DASHBOARD_BUILD_COMMAND,
} from "./constants.ts";
