import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { API_TOKEN_BYTES, TOKEN_COOKIE_NAME } from "./constants.ts";

/** A fresh API token: 32 random bytes as 64 hex characters. Never written to a file or log. */
export function generateApiToken(): string {
  return randomBytes(API_TOKEN_BYTES).toString("hex");
}

/**
 * Compares in constant time. Both sides are hashed first so that neither the length nor the
 * position of the first difference leaks through timing.
 */
export function tokensEqual(presented: string, expected: string): boolean {
  const a = createHash("sha256").update(presented).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

/** Where a request carried its token. */
export type PresentedToken = { source: "bearer" | "cookie"; value: string } | undefined;

/** Value of one cookie from Cookie header(s); h2 may split cookies over several headers. */
export function cookieValue(cookieHeader: string | null | undefined, name: string): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(/[;,]/)) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** The token a request presents: the Bearer header wins over the cookie. */
export function presentedToken(headers: Headers): PresentedToken {
  const authorization = headers.get("authorization");
  if (authorization) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    // A malformed Authorization header counts as a wrong token, not as no token.
    return { source: "bearer", value: match?.[1] ?? "" };
  }
  const cookie = cookieValue(headers.get("cookie"), TOKEN_COOKIE_NAME);
  return cookie === undefined ? undefined : { source: "cookie", value: cookie };
}

/** Set-Cookie value that hands the token to the dashboard. */
export function tokenCookie(token: string): string {
  return `${TOKEN_COOKIE_NAME}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}
