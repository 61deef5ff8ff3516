// What one policy reload did, as reported to the control socket, the log and reload listeners.

export type ReloadTrigger = "sighup" | "file_change" | "rpc" | "startup";

export type ReloadStatus = "success" | "validation_error" | "file_error" | "unchanged";

/** Why a reload failed, for logs and events: finer than the status. */
export type ReloadErrorType = "file_not_found" | "read_error" | "invalid_json" | "validation_error" | "unexpected_error";

export interface ReloadResult {
  status: ReloadStatus;
  trigger: ReloadTrigger;
  oldRulesCount: number;
  /** Rules in force after the reload (equal to oldRulesCount when the reload did not swap). */
  newRulesCount: number;
  /** Version of the policy in force after the reload. */
  policyVersion: string;
  error?: string;
  errorType?: ReloadErrorType;
}
