import { expect, test } from "bun:test";
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { ErrorDetailSchema } from "../../../lib/gen/mcpacp/common/v1/error_pb.ts";
import { describeError, errorText, isAbort } from "./errors.ts";

test("ErrorDetail code, message and violations come through", () => {
  const detail = create(ErrorDetailSchema, {
    code: "POLICY_INVALID",
    message: "policy.json is invalid; fix the listed fields.",
    details: { proxy: "fs" },
    violations: [{ field: "rules[0].effect", description: "must be allow, deny or hitl", reason: "INVALID" }],
  });
  const e = new ConnectError("policy invalid", Code.InvalidArgument, undefined, [{ desc: ErrorDetailSchema, value: detail }]);
  const d = describeError(e);
  expect(d.code).toBe("POLICY_INVALID");
  expect(d.connectCode).toBe(Code.InvalidArgument);
  expect(d.message).toBe("policy.json is invalid; fix the listed fields.");
  expect(d.violations).toEqual(["rules[0].effect: must be allow, deny or hitl"]);
  expect(d.details).toEqual({ proxy: "fs" });
  expect(errorText(e)).toBe("policy.json is invalid; fix the listed fields. (rules[0].effect: must be allow, deny or hitl)");
});

test("without a detail the Connect code names the error", () => {
  const d = describeError(new ConnectError("", Code.FailedPrecondition));
  expect(d.code).toBe("FAILED_PRECONDITION");
  expect(d.reason).toBe("Failed precondition");
  expect(describeError(new Error("boom")).message).toBe("boom");
});

test("aborts are recognised", () => {
  expect(isAbort(new ConnectError("x", Code.Canceled))).toBe(true);
  expect(isAbort(new DOMException("x", "AbortError"))).toBe(true);
  expect(isAbort(new Error("x"))).toBe(false);
});
