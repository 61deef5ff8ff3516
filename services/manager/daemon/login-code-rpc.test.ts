import { describe, expect, test } from "bun:test";
import { create } from "@bufbuild/protobuf";
import { timestampMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, type HandlerContext } from "@connectrpc/connect";
import { IssueLoginCodeResponseSchema } from "../../../lib/gen/mcpacp/api/v1/manager_service_pb.ts";
import { LOGIN_CODE_TTL_MS } from "../gateway/index.ts";
import { issueLoginCode, reachedOverTcp, type LoginCodeSource } from "./login-code-rpc.ts";

const gateway: LoginCodeSource = { port: 18765, url: "http://127.0.0.1:18765", issueLoginCode: () => "abc_-123" };
const at = (url: string) => ({ url }) as HandlerContext;

/** The Connect code `call` fails with; "none" when it succeeds. */
function failureCode(call: () => unknown): Code | "none" | "not a ConnectError" {
  try {
    call();
    return "none";
  } catch (error) {
    return error instanceof ConnectError ? error.code : "not a ConnectError";
  }
}

describe("IssueLoginCode", () => {
  test("on api.sock: a login URL on the dashboard address with the code, and its expiry", () => {
    const answer = create(IssueLoginCodeResponseSchema, issueLoginCode(() => gateway, at("http://localhost/mcpacp.api.v1.ManagerService/IssueLoginCode"), () => 1_000_000));
    expect(answer.code).toBe("abc_-123");
    expect(answer.loginUrl).toBe("http://127.0.0.1:18765/?code=abc_-123");
    expect(answer.expiresAt === undefined ? 0 : timestampMs(answer.expiresAt)).toBe(1_000_000 + LOGIN_CODE_TTL_MS);
  });

  test("over TCP (any allowed host name with the bound port): PERMISSION_DENIED", () => {
    for (const host of ["127.0.0.1", "localhost", "[::1]"]) {
      expect(failureCode(() => issueLoginCode(() => gateway, at(`http://${host}:18765/mcpacp.api.v1.ManagerService/IssueLoginCode`)))).toBe(
        Code.PermissionDenied,
      );
    }
  });

  test("before the gateway listens: UNAVAILABLE", () => {
    expect(failureCode(() => issueLoginCode(() => undefined, at("http://localhost/x")))).toBe(Code.Unavailable);
  });

  test("reachedOverTcp compares the request's port with the bound one", () => {
    expect(reachedOverTcp("http://localhost/x", 18765)).toBe(false);
    expect(reachedOverTcp("http://127.0.0.1:18765/x", 18765)).toBe(true);
    expect(reachedOverTcp("not a url", 18765)).toBe(true);
  });
});
