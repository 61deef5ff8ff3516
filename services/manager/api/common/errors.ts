// Errors shared by the services: a missing or malformed request field, and the translation of
// lib errors that can reach any handler (config files, manager.json) into Connect errors.
import { Code, ConnectError } from "@connectrpc/connect";
import { ConfigError, ConfigErrorCode } from "../../../../lib/config/index.ts";
import { apiError, domainError } from "../../gateway/index.ts";
import { configViolations } from "./violations.ts";

/** INVALID_ARGUMENT "VALIDATION_ERROR" naming one request field. */
export function invalidField(field: string, description: string, reason = "INVALID_VALUE"): ConnectError {
  return domainError("VALIDATION_ERROR", `Invalid ${field}: ${description}.`, { violations: [{ field, description, reason }] });
}

export function requiredField(field: string, what: string): ConnectError {
  return domainError("VALIDATION_ERROR", `${field} is required: ${what}.`, {
    violations: [{ field, description: `is required: ${what}`, reason: "REQUIRED" }],
  });
}

function withHint(error: ConfigError): string {
  return error.hint === undefined ? error.message : `${error.message} ${error.hint}`;
}

/**
 * A ConfigError met while reading or writing files the request did not supply: a broken file on
 * disk is FAILED_PRECONDITION (fix the file), a failed write INTERNAL, a missing file NOT_FOUND.
 */
export function fileConfigError(error: ConfigError): ConnectError {
  const details: Record<string, string> = error.path === undefined ? {} : { path: error.path };
  switch (error.code) {
    case ConfigErrorCode.NotFound:
      return domainError("CONFIG_NOT_FOUND", withHint(error), { details, cause: error });
    case ConfigErrorCode.ProxyNotFound:
      return domainError("PROXY_NOT_FOUND", withHint(error), { details, cause: error });
    case ConfigErrorCode.WriteFailed:
      return domainError("CONFIG_SAVE_FAILED", withHint(error), { details, cause: error });
    case ConfigErrorCode.Invalid:
    case ConfigErrorCode.InvalidJson:
      return apiError(Code.FailedPrecondition, "CONFIG_INVALID", withHint(error), { details, violations: configViolations(error.issues), cause: error });
    default:
      return apiError(Code.FailedPrecondition, error.code, withHint(error), { details, cause: error });
  }
}

/** Re-throws ConnectErrors; ConfigErrors become file errors; anything else is INTERNAL. */
export function toConnectError(error: unknown, doing: string): ConnectError {
  if (error instanceof ConnectError) return error;
  if (error instanceof ConfigError) return fileConfigError(error);
  const text = error instanceof Error ? error.message : String(error);
  return domainError("INTERNAL_ERROR", `Failed while ${doing}: ${text}`, { cause: error });
}

/** Wraps a handler so every failure reaches the caller as a Connect error with an ErrorDetail. */
export function guarded<A extends unknown[], R>(doing: string, handler: (...args: A) => Promise<R> | R): (...args: A) => Promise<R> {
  return async (...args: A) => {
    try {
      return await handler(...args);
    } catch (error) {
      throw toConnectError(error, doing);
    }
  };
}
