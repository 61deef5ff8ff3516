// ManagerService.IssueLoginCode: a fresh single-use dashboard login code for `mcp-acp manager
// open`. Only callers on api.sock may ask (file permissions are their proof of being this user);
// a TCP caller is refused, so a login code never goes to anything that reached the port.
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { Code, type HandlerContext } from "@connectrpc/connect";
import type { IssueLoginCodeResponseSchema } from "../../../lib/gen/mcpacp/api/v1/manager_service_pb.ts";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { LOGIN_CODE_PARAM, LOGIN_CODE_TTL_MS, apiError } from "../gateway/index.ts";

/** The part of the gateway handle this RPC uses. */
export interface LoginCodeSource {
  /** Bound TCP port. */
  readonly port: number;
  /** http://127.0.0.1:<port> */
  readonly url: string;
  issueLoginCode(): string;
}

/**
 * True when the call came in on the TCP listener. That listener only lets a request through when
 * its Host (or :authority) is a loopback name with the bound port, so the request URL carries
 * that port; api.sock requests name no port unless the client made one up (then they are
 * refused too, which errs on the safe side).
 */
export function reachedOverTcp(requestUrl: string, tcpPort: number): boolean {
  try {
    return new URL(requestUrl).port === String(tcpPort);
  } catch {
    return true;
  }
}

export function issueLoginCode(
  source: () => LoginCodeSource | undefined,
  context: HandlerContext,
  now: () => number = Date.now,
): MessageInitShape<typeof IssueLoginCodeResponseSchema> {
  const gateway = source();
  if (gateway === undefined) {
    throw apiError(Code.Unavailable, "SERVICE_UNAVAILABLE", "The dashboard is still starting; try again in a moment.");
  }
  if (reachedOverTcp(context.url, gateway.port)) {
    throw apiError(
      Code.PermissionDenied,
      "API_SOCKET_ONLY",
      "Login codes are issued only on the manager's API socket; run 'mcp-acp manager open' as the user running the manager.",
    );
  }
  const issuedAt = now();
  const code = gateway.issueLoginCode();
  const url = new URL("/", gateway.url);
  url.searchParams.set(LOGIN_CODE_PARAM, code);
  return { code, loginUrl: url.toString(), expiresAt: timestampFromMs(issuedAt + LOGIN_CODE_TTL_MS) };
}
