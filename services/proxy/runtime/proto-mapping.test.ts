import { describe, expect, test } from "bun:test";
import { PolicyReloadStatus } from "../../../lib/gen/mcpacp/common/v1/runtime_pb.ts";
import { policyReloadMessage } from "./proto-mapping.ts";

describe("policyReloadMessage", () => {
  test("success and unchanged are SUCCESS without an error", () => {
    for (const status of ["success", "unchanged"] as const) {
      const m = policyReloadMessage({ status, trigger: "rpc", oldRulesCount: 1, newRulesCount: 2, policyVersion: "v" });
      expect(m).toMatchObject({ status: PolicyReloadStatus.SUCCESS, oldRulesCount: 1, newRulesCount: 2, policyVersion: "v" });
      expect(m.error).toBeUndefined();
    }
  });

  test("a failure carries its error type and message", () => {
    const m = policyReloadMessage({
      status: "file_error",
      trigger: "sighup",
      oldRulesCount: 3,
      newRulesCount: 3,
      policyVersion: "old",
      error: "Policy file /p not found.",
      errorType: "file_not_found",
    });
    expect(m.status).toBe(PolicyReloadStatus.FILE_ERROR);
    expect(m.error).toMatchObject({ code: "FILE_NOT_FOUND", message: "Policy file /p not found.", details: { trigger: "sighup" } });
  });
});
