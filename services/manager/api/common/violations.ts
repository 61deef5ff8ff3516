// Validation problems from lib/config and lib/policy → ErrorDetail FieldViolations, whose field
// paths are dotted with list indexes in brackets ("rules[2].conditions.tool_name").
import type { ConfigIssue } from "../../../../lib/config/index.ts";
import type { PolicyIssue } from "../../../../lib/policy/index.ts";
import type { ApiFieldViolation } from "../../gateway/index.ts";

/** `rules.2.conditions.tool_name` → `rules[2].conditions.tool_name`; `(root)`/`policy` → "". */
export function fieldPath(loc: string): string {
  if (loc === "(root)" || loc === "policy") return "";
  return loc.replace(/\.(\d+)(?=\.|$)/g, "[$1]");
}

/** A prefix for paths that are relative to a request field ("config", "rule"). */
export function withPrefix(prefix: string, path: string): string {
  if (prefix === "") return path;
  if (path === "") return prefix;
  return path.startsWith("[") ? `${prefix}${path}` : `${prefix}.${path}`;
}

const POLICY_REASONS: Readonly<Record<PolicyIssue["type"], string>> = {
  type: "INVALID_TYPE",
  missing: "REQUIRED",
  unknown_key: "UNKNOWN_KEY",
  enum: "INVALID_ENUM",
  empty_string: "EMPTY",
  empty_conditions: "EMPTY_CONDITIONS",
  duplicate_id: "DUPLICATE_ID",
  id_collision: "ID_COLLISION",
  unreachable_condition: "UNREACHABLE_CONDITION",
  invalid_regex: "INVALID_REGEX",
  invalid_pointer: "INVALID_POINTER",
  invalid_value: "INVALID_VALUE",
};

export function policyViolations(issues: readonly PolicyIssue[]): ApiFieldViolation[] {
  return issues.map((issue) => ({ field: fieldPath(issue.loc), description: issue.msg, reason: POLICY_REASONS[issue.type] }));
}

/** lib/config issues carry only a message; the reason is read from its wording. */
function configReason(msg: string): string {
  if (msg.startsWith("is required")) return "REQUIRED";
  if (msg === "unknown key") return "UNKNOWN_KEY";
  if (msg.startsWith("must be an integer between")) return "OUT_OF_RANGE";
  if (msg.startsWith("must be") && /an? (object|string|array|integer)|true or false/.test(msg)) return "INVALID_TYPE";
  return "INVALID_VALUE";
}

export function configViolations(issues: readonly ConfigIssue[]): ApiFieldViolation[] {
  return issues.map((issue) => ({ field: fieldPath(issue.loc), description: issue.msg, reason: configReason(issue.msg) }));
}
