import { NO_STORE_CACHE_CONTROL } from "./constants.ts";

/**
 * Content-Security-Policy of every response. Scripts only from the app's own files (no inline
 * script); inline styles stay allowed because component libraries set style attributes.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/** Headers set on every response of both listeners (Cache-Control may be replaced for static files). */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "content-security-policy": CONTENT_SECURITY_POLICY,
  "referrer-policy": "same-origin",
  "permissions-policy": "camera=(), microphone=(), geolocation=(), usb=(), payment=()",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
  "cache-control": NO_STORE_CACHE_CONTROL,
};

/** The part of a Node response this module writes to (HTTP/1.1 and HTTP/2 responses both fit). */
export interface HeaderSink {
  setHeader(name: string, value: string | number | readonly string[]): unknown;
}

export function applySecurityHeaders(res: HeaderSink): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
}
