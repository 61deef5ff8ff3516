// Sending one decision about a pending approval to its proxy (directly or through the manager),
// and what the refusals mean. The request carries the arguments digest and policy version the
// user was shown, so the proxy refuses (as stale) a decision about anything other than what was
// on screen.
import {
  ApprovalAction,
  ApprovalOutcome,
  type ApprovalResolution,
  type Approver,
  type PendingApproval,
} from "../../../lib/gen/mcpacp/common/v1/approval_pb.ts";
import { RpcCode, RpcError } from "../../../lib/rpc/index.ts";
import { errorText } from "../../control-client.ts";
import { CliError, failure } from "../../errors.ts";
import { printable } from "../policy/describe-rule.ts";
import { ACTION_NAMES, approvalTarget, formatSeconds } from "./format.ts";
import type { ProxyRoute } from "./routes.ts";
import { proxyFailureText } from "./targets.ts";

export type DecisionAction = ApprovalAction.ALLOW_ONCE | ApprovalAction.ALLOW_AND_CACHE | ApprovalAction.DENY;

/** "write_file /tmp/x on proxy 'fs'" */
export function requestText(proxy: string, approval: PendingApproval): string {
  const target = approvalTarget(approval);
  return `${printable(approval.toolName)}${target === "" ? "" : ` ${target}`} on proxy '${proxy}'`;
}

/** What a refusal of ResolvePending means for the user, as an error with the next step. */
export function resolutionError(error: unknown, proxy: string, approval: PendingApproval, action: DecisionAction, approver: Approver): CliError {
  if (error instanceof CliError) return error;
  const verb = ACTION_NAMES[action];
  const id = approval.id;
  const listHint = "Run 'mcp-acp approvals list' to see what is pending now.";
  if (!(error instanceof RpcError)) return failure(`Cannot ${verb} approval ${id} on proxy '${proxy}': ${errorText(error)}`);
  switch (error.code) {
    case RpcCode.NOT_FOUND:
      return failure(`No pending approval ${id} on proxy '${proxy}' any more: ${error.message}`, `It was resolved, timed out or withdrawn meanwhile. ${listHint}`);
    case RpcCode.FAILED_PRECONDITION:
      return failure(
        `Approval ${id} on proxy '${proxy}' was refused as stale; nothing was decided: ${error.message}`,
        `The request or the policy changed after it was shown. ${listHint}`,
      );
    case RpcCode.PERMISSION_DENIED:
      return failure(
        `You ('${printable(approver.subjectId)}') may not ${verb} approval ${id} on proxy '${proxy}': ${error.message}`,
        "Only the user whose request waits may decide it.",
      );
    default:
      return failure(proxyFailureText(proxy, `${verb} approval ${id}`, "ResolvePending", error));
  }
}

/** Sends the decision; refusals become CliErrors that say what happened and what to do. */
export async function sendDecision(route: ProxyRoute, approval: PendingApproval, action: DecisionAction, approver: Approver): Promise<ApprovalResolution> {
  try {
    return await route.resolvePending({ approval, action, approver });
  } catch (error) {
    throw resolutionError(error, route.name, approval, action, approver);
  }
}

/** One line for a decision that went through, e.g. "Allowed once: write_file … (id)". */
export function decisionSummary(proxy: string, approval: PendingApproval, resolution: ApprovalResolution): string {
  const what = `${requestText(proxy, approval)} (${approval.id})`;
  switch (resolution.outcome) {
    case ApprovalOutcome.ALLOWED_AND_CACHED:
      return `Allowed and cached for ${formatSeconds(approval.cacheTtlSeconds)}: ${what}`;
    case ApprovalOutcome.ALLOWED_ONCE:
      return `Allowed once: ${what}`;
    case ApprovalOutcome.DENIED:
      return `Denied: ${what}`;
    default:
      return `Resolved: ${what}`;
  }
}

/** Why an "allow and cache" was allowed only once, or undefined when nothing needs saying. */
export function notCachedNote(action: DecisionAction, approval: PendingApproval, resolution: ApprovalResolution): string | undefined {
  if (action !== ApprovalAction.ALLOW_AND_CACHE || resolution.outcome !== ApprovalOutcome.ALLOWED_ONCE) return undefined;
  return approval.canCache
    ? "Not cached: the proxy did not store this approval (the policy may have changed meanwhile)."
    : "Not cached: requests like this one are never cached (code execution or a rate-limit breach).";
}
