import { randomBytes, randomUUID } from "node:crypto";
import { PROXY_NAME_MAX_LENGTH, RESERVED_PROXY_NAMES } from "./constants.ts";
import { ConfigError, ConfigErrorCode } from "./errors.ts";

/** `px_<8 hex>:<sanitized server name>` (spec cli-config-auth.md §2.3). */
export const PROXY_ID_PATTERN = /^px_[a-f0-9]{8}:[a-z0-9-]+$/;

const PROXY_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

export const PROXY_NAME_HINT = "Use 1-64 letters, digits, '-' or '_', starting with a letter or digit; 'manager', 'all' and 'default' are reserved.";

function invalidName(name: string, rule: string): ConfigError {
  return new ConfigError(ConfigErrorCode.InvalidName, `Invalid proxy name '${name}': ${rule}`, { hint: PROXY_NAME_HINT });
}

/** The problem with a proxy name, or undefined when it is acceptable. Rules are checked in a fixed order. */
export function proxyNameProblem(name: string): string | undefined {
  if (name.length === 0) return "must not be empty";
  if (name.length > PROXY_NAME_MAX_LENGTH) return `too long (max ${PROXY_NAME_MAX_LENGTH} characters)`;
  if (name.startsWith("_") || name.startsWith(".")) return "cannot start with '_' or '.'";
  if (RESERVED_PROXY_NAMES.includes(name.toLowerCase())) return "is a reserved name";
  if (!PROXY_NAME_PATTERN.test(name)) return "only letters, digits, '-' and '_' are allowed";
  return undefined;
}

/** Throws ConfigError(InvalidName) with the broken rule's own message. */
export function validateProxyName(name: string): void {
  const problem = proxyNameProblem(name);
  if (problem !== undefined) throw invalidName(name, problem);
}

/**
 * The existing proxy whose name equals `name` ignoring case, if any. Case-insensitive because
 * macOS and Windows file systems fold case, so "FS" and "fs" would share a directory there.
 */
export function findProxyNameClash(name: string, existing: readonly string[]): string | undefined {
  const wanted = name.toLowerCase();
  return existing.find((other) => other.toLowerCase() === wanted);
}

/** Lower-case slug for proxy ids: spaces → "-", other characters dropped, "backend" when empty. */
export function sanitizeServerName(s: string): string {
  const slug = s
    .toLowerCase()
    .replace(/\s/g, "-")
    .replace(/[^a-z0-9-]/g, "")
    .replace(/-+/g, "-")
    .replace(/^-+|-+$/g, "");
  return slug === "" ? "backend" : slug;
}

/** A new `px_<8 hex of a random UUID>:<sanitized server name>`. */
export function generateProxyId(serverName: string): string {
  const hex = randomUUID().replace(/-/g, "").slice(0, 8);
  return `px_${hex}:${sanitizeServerName(serverName)}`;
}

/** A per-run id `<the 8 hex of proxyId>_<8 new hex>`, so logs of one run group under their proxy. */
export function generateInstanceId(proxyId: string): string {
  const match = /^px_([a-f0-9]{8}):/.exec(proxyId);
  if (match === null) {
    throw new ConfigError(ConfigErrorCode.Invalid, `Invalid proxy_id '${proxyId}': expected px_<8 hex>:<name>`, {
      issues: [{ loc: "proxy_id", msg: "must look like px_<8 lower-case hex>:<lower-case name>" }],
    });
  }
  return `${match[1]}_${randomBytes(4).toString("hex")}`;
}
