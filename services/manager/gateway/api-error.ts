import { Code, ConnectError } from "@connectrpc/connect";
import { ErrorDetailSchema, type FieldViolation } from "../../../lib/gen/mcpacp/common/v1/error_pb.ts";

/**
 * The one place that says which Connect code an API error carries (spec/manager.md §12 "Errors").
 * The code is the class of failure (and, for the Connect protocol, the HTTP status); the
 * ErrorDetail.code is the exact reason, and clients branch on that.
 *
 * | failure                                            | Connect code        | HTTP |
 * |----------------------------------------------------|---------------------|------|
 * | validation (the original's 400 / 422)              | INVALID_ARGUMENT    | 400  |
 * | not found                                          | NOT_FOUND           | 404  |
 * | already exists, duplicate rule or backend          | ALREADY_EXISTS      | 409  |
 * | proxy running, backend unreachable at create       | FAILED_PRECONDITION | 400  |
 * | missing or wrong API token                         | UNAUTHENTICATED     | 401  |
 * | approver mismatch, bad Host/Origin/protocol header | PERMISSION_DENIED   | 403  |
 * | no proxy, proxy unreachable, IdP failure           | UNAVAILABLE         | 503  |
 * | deadline passed (30 s; 5 s for snapshots)          | DEADLINE_EXCEEDED   | 504  |
 * | unsupported                                        | UNIMPLEMENTED       | 501  |
 * | device-flow limit, request over 1 MiB              | RESOURCE_EXHAUSTED  | 429  |
 * | a file could not be saved, anything unexpected     | INTERNAL            | 500  |
 */
export const DOMAIN_ERROR_CODES = {
  // Generic classes (the original mapped plain HTTP statuses to these).
  VALIDATION_ERROR: Code.InvalidArgument,
  NOT_FOUND: Code.NotFound,
  CONFLICT: Code.AlreadyExists,
  AUTH_REQUIRED: Code.Unauthenticated,
  AUTH_FORBIDDEN: Code.PermissionDenied,
  INTERNAL_ERROR: Code.Internal,
  NOT_IMPLEMENTED: Code.Unimplemented,
  UPSTREAM_ERROR: Code.Unavailable,
  SERVICE_UNAVAILABLE: Code.Unavailable,
  DEADLINE_EXCEEDED: Code.DeadlineExceeded,

  // Gateway security (this module).
  AUTH_TOKEN_INVALID: Code.Unauthenticated,
  HOST_NOT_ALLOWED: Code.PermissionDenied,
  ORIGIN_NOT_ALLOWED: Code.PermissionDenied,
  PROTOCOL_HEADER_REQUIRED: Code.PermissionDenied,
  REQUEST_TOO_LARGE: Code.ResourceExhausted,

  // Identity and approvals.
  AUTH_PROVIDER_UNAVAILABLE: Code.Unavailable,
  AUTH_DEVICE_FLOW_FAILED: Code.Unavailable,
  AUTH_DEVICE_FLOW_LIMIT: Code.ResourceExhausted,
  APPROVAL_NOT_FOUND: Code.NotFound,
  APPROVAL_UNAUTHORIZED: Code.PermissionDenied,
  CACHED_APPROVAL_NOT_FOUND: Code.NotFound,

  // Policy.
  POLICY_NOT_FOUND: Code.NotFound,
  POLICY_INVALID: Code.InvalidArgument,
  POLICY_RULE_NOT_FOUND: Code.NotFound,
  POLICY_RULE_DUPLICATE: Code.AlreadyExists,
  POLICY_RELOAD_FAILED: Code.Internal,

  // Config.
  CONFIG_NOT_FOUND: Code.NotFound,
  CONFIG_INVALID: Code.InvalidArgument,
  CONFIG_SAVE_FAILED: Code.Internal,

  // Proxies.
  PROXY_NOT_FOUND: Code.NotFound,
  PROXY_EXISTS: Code.AlreadyExists,
  PROXY_RUNNING: Code.FailedPrecondition,
  PROXY_INVALID: Code.InvalidArgument,
  PROXY_CREATION_FAILED: Code.Internal,
  PROXY_UNAVAILABLE: Code.Unavailable,
  PROXY_AMBIGUOUS: Code.FailedPrecondition,
  BACKEND_UNREACHABLE: Code.FailedPrecondition,
  BACKEND_DUPLICATE: Code.AlreadyExists,

  // Logs.
  LOG_NOT_AVAILABLE: Code.NotFound,
} as const satisfies Record<string, Code>;

export type DomainErrorCode = keyof typeof DOMAIN_ERROR_CODES;

/** A field violation as apiError() takes it (ErrorDetail.violations). */
export interface ApiFieldViolation {
  field: string;
  description: string;
  reason?: string;
}

export interface ApiErrorOptions {
  /** Flat extra context, e.g. { proxy: "fs", available: "fs,web" }. */
  details?: Readonly<Record<string, string>>;
  violations?: readonly ApiFieldViolation[];
  cause?: unknown;
}

/**
 * A ConnectError with a mcpacp.common.v1.ErrorDetail attached as error detail (a Connect error
 * detail, or grpc-status-details-bin for gRPC). `message` is one sentence for a human: what
 * failed, where, and what to do next.
 */
export function apiError(code: Code, domainCode: string, message: string, options: ApiErrorOptions = {}): ConnectError {
  const violations: Omit<FieldViolation, "$typeName">[] = (options.violations ?? []).map((v) => ({
    field: v.field,
    description: v.description,
    reason: v.reason ?? "",
  }));
  return new ConnectError(
    message,
    code,
    undefined,
    [{ desc: ErrorDetailSchema, value: { code: domainCode, message, details: { ...options.details }, violations } }],
    options.cause,
  );
}

/** apiError() with the Connect code taken from DOMAIN_ERROR_CODES. */
export function domainError(domainCode: DomainErrorCode, message: string, options: ApiErrorOptions = {}): ConnectError {
  return apiError(DOMAIN_ERROR_CODES[domainCode], domainCode, message, options);
}
