import { describe, expect, test } from "bun:test";
import { Code } from "@connectrpc/connect";
import { ErrorDetailSchema } from "../../../lib/gen/mcpacp/common/v1/error_pb.ts";
import { apiError, DOMAIN_ERROR_CODES, domainError } from "./api-error.ts";

describe("apiError", () => {
  test("carries the Connect code and an ErrorDetail with details and violations", () => {
    const error = apiError(Code.InvalidArgument, "CONFIG_INVALID", "backend.http.url is not a URL; use http(s)://…", {
      details: { proxy: "fs" },
      violations: [{ field: "backend.http.url", description: "not a URL", reason: "INVALID_URL" }, { field: "x", description: "y" }],
    });
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.rawMessage).toBe("backend.http.url is not a URL; use http(s)://…");
    const [detail] = error.findDetails(ErrorDetailSchema);
    expect(detail?.code).toBe("CONFIG_INVALID");
    expect(detail?.message).toBe(error.rawMessage);
    expect(detail?.details).toEqual({ proxy: "fs" });
    expect(detail?.violations.map((v) => [v.field, v.description, v.reason])).toEqual([
      ["backend.http.url", "not a URL", "INVALID_URL"],
      ["x", "y", ""],
    ]);
  });

  test("domainError takes the code from the one mapping table (spec/manager.md §12)", () => {
    expect(domainError("PROXY_RUNNING", "stop it first").code).toBe(Code.FailedPrecondition);
    expect(domainError("POLICY_RULE_DUPLICATE", "dup").code).toBe(Code.AlreadyExists);
    expect(domainError("BACKEND_DUPLICATE", "same backend").code).toBe(Code.AlreadyExists);
    expect(domainError("AUTH_DEVICE_FLOW_LIMIT", "too many").code).toBe(Code.ResourceExhausted);
    expect(DOMAIN_ERROR_CODES.AUTH_REQUIRED).toBe(Code.Unauthenticated);
    expect(DOMAIN_ERROR_CODES.ORIGIN_NOT_ALLOWED).toBe(Code.PermissionDenied);
    expect(DOMAIN_ERROR_CODES.PROXY_UNAVAILABLE).toBe(Code.Unavailable);
  });
});
