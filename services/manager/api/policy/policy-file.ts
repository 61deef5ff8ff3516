// Reading and writing a proxy's policy.json for the API: the text with its version, the parsed
// document (edits are made on it, so a rule written as "x" instead of ["x"] stays that way) and
// the validated policy.
import { Code, type ConnectError } from "@connectrpc/connect";
import { writeFileAtomic } from "../../../../lib/config/index.ts";
import { addGeneratedIds, formatPolicyDocument, PolicyError, PolicyErrorCode, validatePolicy, type Policy } from "../../../../lib/policy/index.ts";
import { apiError, domainError } from "../../gateway/index.ts";
import { readVersioned } from "../common/file-version.ts";
import { policyViolations } from "../common/violations.ts";

export interface PolicyFile {
  path: string;
  version: string;
  document: unknown;
  policy: Policy;
}

function parseJson(text: string): unknown {
  // A UTF-8 byte order mark is legal in a file but not in JSON text.
  return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
}

/** The policy file as it is now; missing → NOT_FOUND, broken → FAILED_PRECONDITION "POLICY_INVALID". */
export function readPolicyFile(path: string): PolicyFile {
  const { text, version } = readVersioned(path);
  if (text === null) {
    throw domainError("POLICY_NOT_FOUND", `Policy file ${path} does not exist; write one with ReplacePolicy (expected_policy_version "").`, {
      details: { path, policy_version: "" },
    });
  }
  let document: unknown;
  try {
    document = parseJson(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw brokenPolicy(path, version, `is not valid JSON (${detail})`, []);
  }
  try {
    return { path, version, document, policy: validatePolicy(document) };
  } catch (error) {
    if (error instanceof PolicyError && error.code === PolicyErrorCode.Validation) {
      throw brokenPolicy(path, version, `is invalid (${error.issues.length} problem${error.issues.length === 1 ? "" : "s"})`, error.issues);
    }
    throw error;
  }
}

function brokenPolicy(path: string, version: string, what: string, issues: PolicyError["issues"]): ConnectError {
  return apiError(Code.FailedPrecondition, "POLICY_INVALID", `Policy file ${path} ${what}; fix it by hand or replace it with ReplacePolicy.`, {
    details: { path, policy_version: version },
    violations: policyViolations(issues),
  });
}

/** Validates an edited document; the issues are returned, not thrown. */
export function validateDocument(document: unknown): { policy: Policy } | { issues: PolicyError["issues"] } {
  try {
    return { policy: validatePolicy(document) };
  } catch (error) {
    if (error instanceof PolicyError) return { issues: error.issues };
    throw error;
  }
}

/** Writes a validated document (generated rule ids filled in) atomically; returns the text. */
export function writePolicyDocument(path: string, document: unknown, policy: Policy): string {
  const text = formatPolicyDocument(addGeneratedIds(document, policy).document);
  writeFileAtomic(path, text);
  return text;
}
