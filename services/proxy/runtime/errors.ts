// The startup domain's single error class: every reason `start` refuses to run, with the exit
// code and the bootstrap.jsonl event it maps to (spec cli-config-auth.md §4).
import { ExitCode, type ExitCodeValue } from "./exit-codes.ts";

export enum StartupErrorCode {
  ManagerConfigMissing = "manager_config_not_found",
  ManagerConfigInvalid = "manager_config_invalid",
  ProxyNotFound = "proxy_not_found",
  ConfigNotFound = "config_not_found",
  ConfigInvalid = "config_validation_failed",
  PolicyNotFound = "policy_not_found",
  PolicyInvalid = "policy_validation_failed",
  IdentityNotSupported = "auth_not_configured",
  MtlsFileMissing = "mtls_cert_not_found",
  BackendTimeout = "backend_timeout",
  BackendTls = "ssl_error",
  BackendConnectionFailed = "backend_connection_failed",
  AlreadyRunning = "already_running",
  /** The audit log cannot be written, or does not verify (spec cli-config-auth.md §4 step 6). */
  AuditFailure = "audit_failure",
  StartupFailed = "startup_failed",
}

const EXIT_FOR: Record<StartupErrorCode, ExitCodeValue> = {
  [StartupErrorCode.ManagerConfigMissing]: ExitCode.Error,
  [StartupErrorCode.ManagerConfigInvalid]: ExitCode.ManagerConfig,
  [StartupErrorCode.ProxyNotFound]: ExitCode.Error,
  [StartupErrorCode.ConfigNotFound]: ExitCode.Error,
  [StartupErrorCode.ConfigInvalid]: ExitCode.Error,
  [StartupErrorCode.PolicyNotFound]: ExitCode.Policy,
  [StartupErrorCode.PolicyInvalid]: ExitCode.Policy,
  [StartupErrorCode.IdentityNotSupported]: ExitCode.NotAuthenticated,
  [StartupErrorCode.MtlsFileMissing]: ExitCode.Error,
  [StartupErrorCode.BackendTimeout]: ExitCode.Error,
  [StartupErrorCode.BackendTls]: ExitCode.Error,
  [StartupErrorCode.BackendConnectionFailed]: ExitCode.Error,
  [StartupErrorCode.AlreadyRunning]: ExitCode.Error,
  [StartupErrorCode.AuditFailure]: ExitCode.Audit,
  [StartupErrorCode.StartupFailed]: ExitCode.Error,
};

/** The bootstrap.jsonl `event` of a code; "second instance" is `startup_failed` in the spec. */
const EVENT_FOR: Partial<Record<StartupErrorCode, string>> = {
  [StartupErrorCode.AlreadyRunning]: "startup_failed",
};

export class StartupError extends Error {
  override readonly name = "StartupError";
  readonly code: StartupErrorCode;
  /** What the user can do about it. */
  readonly hint: string | undefined;

  constructor(code: StartupErrorCode, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = options.hint;
  }

  get exitCode(): ExitCodeValue {
    return EXIT_FOR[this.code];
  }

  /** The `event` written to bootstrap.jsonl. */
  get event(): string {
    return EVENT_FOR[this.code] ?? this.code;
  }
}

export function isStartupError(value: unknown): value is StartupError {
  return value instanceof StartupError;
}
