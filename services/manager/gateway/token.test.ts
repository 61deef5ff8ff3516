import { describe, expect, test } from "bun:test";
import { cookieValue, generateApiToken, presentedToken, tokenCookie, tokensEqual } from "./token.ts";

describe("API token", () => {
  test("is 64 hex characters and fresh each time", () => {
    const a = generateApiToken();
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(generateApiToken()).not.toBe(a);
  });

  test("tokensEqual compares whole values, whatever their length", () => {
    const token = generateApiToken();
    expect(tokensEqual(token, token)).toBe(true);
    expect(tokensEqual(token.slice(0, 63), token)).toBe(false);
    expect(tokensEqual(`${token}0`, token)).toBe(false);
    expect(tokensEqual("", token)).toBe(false);
  });

  test("presentedToken prefers Bearer over the cookie and treats a malformed header as wrong", () => {
    expect(presentedToken(new Headers({ authorization: "Bearer abc", cookie: "mcp_acp_token=def" }))).toEqual({
      source: "bearer",
      value: "abc",
    });
    expect(presentedToken(new Headers({ authorization: "bearer   abc  " }))).toEqual({ source: "bearer", value: "abc" });
    expect(presentedToken(new Headers({ authorization: "Basic abc" }))).toEqual({ source: "bearer", value: "" });
    expect(presentedToken(new Headers({ cookie: "a=1; mcp_acp_token=def; b=2" }))).toEqual({ source: "cookie", value: "def" });
    expect(presentedToken(new Headers({ cookie: "mcp_acp_token_x=def" }))).toBeUndefined();
    expect(presentedToken(new Headers())).toBeUndefined();
  });

  test("cookieValue reads cookies split over several headers (HTTP/2 joins them with commas)", () => {
    expect(cookieValue("a=1, mcp_acp_token=xyz", "mcp_acp_token")).toBe("xyz");
    expect(cookieValue(null, "mcp_acp_token")).toBeUndefined();
  });

  test("the cookie is HttpOnly, SameSite=Strict, Path=/", () => {
    expect(tokenCookie("abc")).toBe("mcp_acp_token=abc; HttpOnly; SameSite=Strict; Path=/");
  });
});
