// URL checks shared by the proxy backend URL and the OIDC issuer. Each returns an error message,
// or undefined when the URL is acceptable.

function parsedHost(url: string): { protocol: string; hostname: string } | undefined {
  try {
    const parsed = new URL(url);
    return { protocol: parsed.protocol, hostname: parsed.hostname };
  } catch {
    return undefined;
  }
}

/** Backend URL: http(s)://, scheme case-insensitive, with a host. */
export function backendUrlProblem(url: string): string | undefined {
  if (!/^https?:\/\//i.test(url)) return "must start with http:// or https://";
  const parsed = parsedHost(url);
  if (parsed === undefined || parsed.hostname === "") return "must be a valid URL with a host after the scheme";
  return undefined;
}

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1"]);

/**
 * OIDC issuer: https:// only, because tokens are validated against keys fetched from it. Plain
 * http:// is accepted for localhost and 127.0.0.1 so tests can run a local provider without TLS.
 */
export function issuerUrlProblem(url: string): string | undefined {
  const parsed = parsedHost(url);
  if (parsed === undefined || parsed.hostname === "") return "must be a valid https:// URL with a host";
  if (parsed.protocol === "https:") return undefined;
  if (parsed.protocol === "http:" && LOOPBACK_HOSTS.has(parsed.hostname)) return undefined;
  return "must start with https:// (http:// is accepted only for localhost and 127.0.0.1)";
}
