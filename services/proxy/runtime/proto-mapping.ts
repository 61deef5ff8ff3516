// The proxy's policy reload outcome → ProxyControl's PolicyReloadResult. (config.json → proto is
// lib/config's proxyConfigMessage, shared with the manager.)
import { create } from "@bufbuild/protobuf";
import { ErrorDetailSchema } from "../../../lib/gen/mcpacp/common/v1/error_pb.ts";
import {
  type PolicyReloadResult,
  PolicyReloadResultSchema,
  PolicyReloadStatus,
} from "../../../lib/gen/mcpacp/common/v1/runtime_pb.ts";
import type { ReloadResult } from "../policy/index.ts";

const RELOAD_STATUS: Record<ReloadResult["status"], PolicyReloadStatus> = {
  success: PolicyReloadStatus.SUCCESS,
  // The file equals the policy in force: the reload succeeded with nothing to swap.
  unchanged: PolicyReloadStatus.SUCCESS,
  validation_error: PolicyReloadStatus.VALIDATION_ERROR,
  file_error: PolicyReloadStatus.FILE_ERROR,
};

/** A policy reload's outcome → mcpacp.common.v1.PolicyReloadResult; `approvalsCleared`: cached approvals it dropped. */
export function policyReloadMessage(result: ReloadResult, approvalsCleared = 0): PolicyReloadResult {
  return create(PolicyReloadResultSchema, {
    status: RELOAD_STATUS[result.status],
    oldRulesCount: result.oldRulesCount,
    newRulesCount: result.newRulesCount,
    approvalsCleared,
    policyVersion: result.policyVersion,
    error:
      result.error === undefined
        ? undefined
        : create(ErrorDetailSchema, {
            code: (result.errorType ?? result.status).toUpperCase(),
            message: result.error,
            details: { trigger: result.trigger },
          }),
  });
}
