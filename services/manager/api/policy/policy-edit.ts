// The steps every policy change shares: check the version the edit is based on, validate the new
// document (violations with request-relative field paths), write it atomically, and hot-reload a
// running proxy. Changes to one proxy's policy are serialised within the manager.
import { create } from "@bufbuild/protobuf";
import type { ConnectError } from "@connectrpc/connect";
import { type PolicyReloadResult, PolicyReloadResultSchema, PolicyReloadStatus } from "../../../../lib/gen/mcpacp/common/v1/runtime_pb.ts";
import type { Policy, PolicyIssue } from "../../../../lib/policy/index.ts";
import { domainError, type ApiFieldViolation } from "../../gateway/index.ts";
import { findAttached } from "../common/attached.ts";
import { readVersioned, versionMismatch, versionOf } from "../common/file-version.ts";
import type { KeyedMutex } from "../common/keyed-mutex.ts";
import type { ConfiguredProxy } from "../common/proxy-ref.ts";
import { policyViolations } from "../common/violations.ts";
import { controlError, tryForward } from "../control/forward.ts";
import type { ManagerApiDeps } from "../deps.ts";
import { readPolicyFile, validateDocument, writePolicyDocument, type PolicyFile } from "./policy-file.ts";

export interface SavedPolicy {
  policy: Policy;
  version: string;
  /** Unset when the proxy is not attached. */
  reload: PolicyReloadResult | undefined;
}

/** The current version must be `expected`; returns the file (null when missing and allowed). */
export function checkedCurrent(path: string, expected: string, options: { mustExist: boolean }): PolicyFile | null {
  const { text, version } = readVersioned(path);
  if (expected !== version) throw versionMismatch("POLICY", path, expected, version);
  if (text === null && !options.mustExist) return null;
  const file = readPolicyFile(path);
  if (file.version !== version) throw versionMismatch("POLICY", path, expected, file.version);
  return file;
}

/** INVALID_ARGUMENT "POLICY_INVALID" listing `violations`. */
export function invalidPolicy(path: string, violations: ApiFieldViolation[]): ConnectError {
  const list = violations
    .slice(0, 3)
    .map((v) => (v.field === "" ? v.description : `${v.field}: ${v.description}`))
    .join("; ");
  const more = violations.length > 3 ? ` (and ${violations.length - 3} more)` : "";
  return domainError("POLICY_INVALID", `The policy change for ${path} is invalid: ${list}${more}.`, { details: { path }, violations });
}

/**
 * Validates the edited document. `own` are problems found while mapping the request; `relabel`
 * turns a file path ("rules[3].effect") into a request path ("rule.effect").
 */
export function validatedEdit(
  path: string,
  document: unknown,
  own: readonly ApiFieldViolation[],
  relabel: (field: string) => string = (f) => f,
): { policy: Policy } {
  return acceptedEdit(path, validateDocument(document), own, relabel);
}

/** Throws INVALID_ARGUMENT "POLICY_INVALID" for a validation result with issues (or `own`). */
export function acceptedEdit(
  path: string,
  result: { policy: Policy } | { issues: readonly PolicyIssue[] },
  own: readonly ApiFieldViolation[],
  relabel: (field: string) => string = (f) => f,
): { policy: Policy } {
  const issues = "issues" in result ? result.issues : [];
  const violations = [...own, ...policyViolations(issues).map((v) => ({ ...v, field: relabel(v.field) }))];
  if (violations.length > 0 || !("policy" in result)) throw invalidPolicy(path, violations);
  return result;
}

/** The reload outcome of a running proxy; a failed call is reported inside the result. */
async function reloadIfAttached(deps: ManagerApiDeps, name: string): Promise<PolicyReloadResult | undefined> {
  const attached = findAttached(deps, name);
  if (attached === undefined) return undefined;
  const outcome = await tryForward(deps, attached, (client, options) => client.reloadPolicy({}, options));
  if (outcome.ok && outcome.value.result !== undefined) return outcome.value.result;
  const error = outcome.ok ? undefined : controlError(outcome.error, attached, "ReloadPolicy");
  return create(PolicyReloadResultSchema, {
    status: PolicyReloadStatus.UNSPECIFIED,
    error: {
      code: "POLICY_RELOAD_FAILED",
      message: `The policy was saved, but proxy '${name}' could not be asked to reload it${error === undefined ? "" : `: ${error.rawMessage}`}. It applies the file on its next reload or start.`,
      details: { proxy: name },
    },
  });
}

/** Writes the document if the file is still at `baseVersion`, then reloads a running proxy. */
export async function savePolicy(deps: ManagerApiDeps, proxy: ConfiguredProxy, baseVersion: string, expected: string, document: unknown, policy: Policy): Promise<SavedPolicy> {
  const now = readVersioned(proxy.policyPath).version;
  // Someone else (an editor, the CLI) wrote the file while this request was checked.
  if (now !== baseVersion) throw versionMismatch("POLICY", proxy.policyPath, expected, now);
  const text = writePolicyDocument(proxy.policyPath, document, policy);
  return { policy, version: versionOf(text), reload: await reloadIfAttached(deps, proxy.name) };
}

export function withPolicyLock<T>(locks: KeyedMutex, proxy: ConfiguredProxy, task: () => Promise<T>): Promise<T> {
  return locks.run(`policy:${proxy.name}`, task);
}
