// Secrets never reach a log file. Three rules, by key name at any depth unless noted:
// - payloads logged in full (debug wire logs with include_payloads): secret-looking values masked;
// - config and policy snapshots (spec §4.5): the listed keys removed;
// - backend wire `arguments` (spec §4.6): bulky content fields replaced by their size (top level).

import type { JsonValue } from "../canonical-json.ts";

export const REDACTED = "[REDACTED]";

const SECRET_NAMES = new Set([
  "password",
  "passwd",
  "passphrase",
  "secret",
  "client_secret",
  "private_key",
  "client_key_path",
  "token",
  "access_token",
  "refresh_token",
  "id_token",
  "bearer",
  "api_key",
  "apikey",
  "authorization",
  "proxy_authorization",
  "cookie",
  "set_cookie",
  "credential",
  "credentials",
  "x_api_key",
]);
const SECRET_SUFFIXES = ["_password", "_passwd", "_secret", "_token", "_api_key", "_apikey", "_private_key"];

/** Whether a key names a secret (case-insensitive; `-` and `_` alike). */
export function isSecretKey(key: string): boolean {
  const name = key.toLowerCase().replaceAll("-", "_");
  return SECRET_NAMES.has(name) || SECRET_SUFFIXES.some((suffix) => name.endsWith(suffix));
}

function mapObjects(value: unknown, visit: (key: string, member: unknown, out: Record<string, unknown>) => void): unknown {
  if (Array.isArray(value)) return value.map((item) => mapObjects(item, visit));
  if (typeof value !== "object" || value === null) return value;
  const out = Object.create(null) as Record<string, unknown>;
  for (const [key, member] of Object.entries(value)) visit(key, member, out);
  return out;
}

/** A deep copy with the value of every secret-named key replaced by "[REDACTED]". */
export function redactSecrets(value: unknown): unknown {
  const visit = (key: string, member: unknown, out: Record<string, unknown>): void => {
    out[key] = isSecretKey(key) && member !== null && member !== undefined ? REDACTED : mapObjects(member, visit);
  };
  return mapObjects(value, visit);
}

/** Keys removed from config and policy snapshots at any depth (spec §4.5). */
export const SNAPSHOT_SECRET_KEYS: readonly string[] = ["client_key_path", "client_secret", "private_key", "password", "secret"];

/** A deep copy without the snapshot secret keys, at any depth. */
export function stripSnapshotSecrets(value: unknown): unknown {
  const visit = (key: string, member: unknown, out: Record<string, unknown>): void => {
    if (!SNAPSHOT_SECRET_KEYS.includes(key)) out[key] = mapObjects(member, visit);
  };
  return mapObjects(value, visit);
}

/** Argument keys whose values the backend wire log replaces by their size (spec §4.6). */
export const CONTENT_KEYS: readonly string[] = ["content", "data", "text", "body"];

/** `[REDACTED - N bytes]`, N being the UTF-8 length of the string (or of its JSON). */
export function sizeMarker(value: unknown): string {
  const text = typeof value === "string" ? value : (JSON.stringify(value) ?? "");
  return `[REDACTED - ${Buffer.byteLength(text, "utf8")} bytes]`;
}

/** Tool arguments for backend_wire.jsonl: content fields sized, secrets masked. */
export function redactToolArguments(args: Readonly<Record<string, unknown>>): Record<string, JsonValue> {
  const out = Object.create(null) as Record<string, unknown>;
  for (const [key, value] of Object.entries(args)) out[key] = CONTENT_KEYS.includes(key) && value !== null && value !== undefined ? sizeMarker(value) : value;
  return redactSecrets(out) as Record<string, JsonValue>;
}
