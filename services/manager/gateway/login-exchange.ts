import { LOGIN_CODE_PARAM, LOGIN_EXCHANGE_PATH } from "./constants.ts";
import type { LoginCodes } from "./login-codes.ts";
import type { NodeRequest, NodeResponse } from "./node-types.ts";
import { sendHtml } from "./responses.ts";
import { tokenCookie } from "./token.ts";

/**
 * `GET /?code=…` (or /auth/exchange?code=…): trades a single-use login code for the token
 * cookie and redirects to the same address without the code, so the code leaves the address
 * bar and history at once. Returns false when the request is not a code exchange.
 */
export function handleLoginExchange(req: NodeRequest, res: NodeResponse, codes: LoginCodes, token: string): boolean {
  // GET only: a HEAD (link preview, prefetch) must not use the code up.
  if (req.method !== "GET") return false;
  const url = new URL(req.url ?? "/", "http://gateway.invalid");
  const isExchangePath = url.pathname === LOGIN_EXCHANGE_PATH;
  if (!isExchangePath && url.pathname !== "/") return false;
  const code = url.searchParams.get(LOGIN_CODE_PARAM);
  if (code === null) {
    if (!isExchangePath) return false;
    sendHtml(res, 400, "Sign-in link incomplete", ["This address needs a sign-in code. Run 'mcp-acp manager open'."]);
    return true;
  }
  if (!codes.consume(code)) {
    sendHtml(res, 403, "Sign-in link not valid", [
      "This dashboard link is expired or was already used; links work once, for about a minute.",
      "Run 'mcp-acp manager open' for a new one.",
    ]);
    return true;
  }
  url.searchParams.delete(LOGIN_CODE_PARAM);
  const location = `${isExchangePath ? "/" : url.pathname}${url.search}`;
  res.writeHead(303, { location, "set-cookie": tokenCookie(token), "content-length": 0 });
  res.end();
  return true;
}
