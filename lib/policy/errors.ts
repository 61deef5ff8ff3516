// The policy domain's single error class. Validation problems are collected as issues so a user
// sees every mistake in one pass, printed as `<dotted.loc>: <msg>` lines.

export enum PolicyErrorCode {
  /** The policy file does not exist (raised by the loader, which does the I/O). */
  FileNotFound = "file_not_found",
  /** The policy text is not valid JSON. */
  InvalidJson = "invalid_json",
  /** The document is JSON but breaks the schema; see `issues`. */
  Validation = "validation_error",
  /** The request could not be turned into a decision context (bad path, bad URI…). */
  ContextBuild = "context_error",
}

export type PolicyIssueType =
  | "type"
  | "missing"
  | "unknown_key"
  | "enum"
  | "empty_string"
  | "empty_conditions"
  | "duplicate_id"
  | "id_collision"
  | "unreachable_condition"
  | "invalid_regex"
  | "invalid_pointer"
  | "invalid_value";

export interface PolicyIssue {
  /** Dotted location, e.g. `rules.0.conditions.tool_name`; `policy` for the document itself. */
  loc: string;
  msg: string;
  type: PolicyIssueType;
}

export class PolicyError extends Error {
  override readonly name = "PolicyError";
  readonly code: PolicyErrorCode;
  readonly issues: readonly PolicyIssue[];

  constructor(code: PolicyErrorCode, message: string, issues: readonly PolicyIssue[] = []) {
    super(message);
    this.code = code;
    this.issues = issues;
  }

  static validation(issues: readonly PolicyIssue[]): PolicyError {
    const lines = issues.map((i) => `${i.loc}: ${i.msg}`);
    const noun = issues.length === 1 ? "error" : "errors";
    return new PolicyError(
      PolicyErrorCode.Validation,
      `Invalid policy (${issues.length} ${noun}):\n${lines.join("\n")}`,
      issues,
    );
  }
}
