// The enforcement domain's error class: raised only while assembling the pipeline (bad options);
// per-request failures never throw out of the hooks, they deny.

export enum EnforcementErrorCode {
  /** A rate limit option is not a positive number. */
  InvalidLimit = "invalid_limit",
  /** A protected directory is not an absolute path. */
  InvalidProtectedDir = "invalid_protected_dir",
}

export class EnforcementError extends Error {
  override readonly name = "EnforcementError";
  readonly code: EnforcementErrorCode;

  constructor(code: EnforcementErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
