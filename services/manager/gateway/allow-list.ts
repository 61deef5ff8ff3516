/**
 * Host and Origin allow-lists derived from the port the gateway actually bound, so they follow
 * `--port` (the original hard-wired 8765). A Host check blocks DNS rebinding; an Origin check
 * blocks other sites' pages.
 */
export interface AllowList {
  readonly hosts: ReadonlySet<string>;
  readonly origins: ReadonlySet<string>;
}

const LOOPBACK_NAMES = ["127.0.0.1", "localhost", "[::1]"] as const;

export function buildAllowList(port: number, devOrigins: readonly string[] = []): AllowList {
  const hosts = new Set(LOOPBACK_NAMES.map((name) => `${name}:${port}`));
  const origins = new Set(LOOPBACK_NAMES.map((name) => `http://${name}:${port}`));
  for (const origin of devOrigins) origins.add(normalizeOrigin(origin));
  return { hosts, origins };
}

/** Lower-cases and drops a trailing slash, the way browsers serialise an Origin. */
export function normalizeOrigin(origin: string): string {
  return origin.trim().toLowerCase().replace(/\/+$/, "");
}

export function hostAllowed(list: AllowList, host: string | undefined): boolean {
  return host !== undefined && list.hosts.has(host.trim().toLowerCase());
}

/** An absent Origin passes (CLI, buf curl, same-origin navigation); "null" and others do not. */
export function originAllowed(list: AllowList, origin: string | undefined): boolean {
  return origin === undefined || list.origins.has(normalizeOrigin(origin));
}
