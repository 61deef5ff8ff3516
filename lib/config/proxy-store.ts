import { readdirSync } from "node:fs";
import { ensurePrivateDir, proxiesDir, proxyConfigPath, proxyDir, proxyPolicyPath, type AppPaths } from "../paths/index.ts";
import { writeFileAtomic } from "./atomic-write.ts";
import { ConfigError, ConfigErrorCode, describeOsError, directoryWriteError, errnoCode } from "./errors.ts";
import { formatJson } from "./format-json.ts";
import { findProxyNameClash, validateProxyName } from "./identifiers.ts";
import { parseProxyConfig, type ProxyConfig } from "./proxy-schema.ts";
import { readConfigJson, type ConfigFileKind } from "./read-json.ts";

/** Policy written for a new proxy: nothing is allowed until the user adds rules. */
export const DEFAULT_POLICY = { version: "1", default_action: "deny", rules: [] } as const;

function proxyFileKind(name: string): ConfigFileKind {
  return {
    label: "proxy",
    notFoundHint: `Run 'mcp-acp proxy add' to create proxy '${name}'.`,
    fixHint: `Fix the file with 'mcp-acp config edit --proxy ${name}'.`,
  };
}

/** Loads proxies/<name>/config.json; throws InvalidName / NotFound / ReadFailed / InvalidJson / Invalid. */
export function loadProxyConfig(p: AppPaths, name: string): ProxyConfig {
  validateProxyName(name); // the name becomes a path: never let "../x" through
  const path = proxyConfigPath(p, name);
  const kind = proxyFileKind(name);
  return parseProxyConfig(readConfigJson(path, kind), path, `${kind.fixHint} Or delete and re-add the proxy.`);
}

function ensureProxyDir(p: AppPaths, name: string, target: string): void {
  for (const dir of [p.configDir, proxiesDir(p), proxyDir(p, name)]) {
    try {
      ensurePrivateDir(dir);
    } catch (error) {
      throw directoryWriteError(dir, target, error);
    }
  }
}

/** Validates, then writes proxies/<name>/config.json atomically (0600 in 0700 dirs). */
export function writeProxyConfig(p: AppPaths, name: string, c: ProxyConfig): void {
  validateProxyName(name);
  const path = proxyConfigPath(p, name);
  const valid = parseProxyConfig(c, path);
  ensureProxyDir(p, name, path);
  writeFileAtomic(path, formatJson(valid));
}

/** Writes the deny-all policy.json for a proxy (replacing any existing one) and returns its path. */
export function writeDefaultPolicy(p: AppPaths, name: string): string {
  validateProxyName(name);
  const path = proxyPolicyPath(p, name);
  ensureProxyDir(p, name, path);
  writeFileAtomic(path, formatJson(DEFAULT_POLICY));
  return path;
}

/** Names of configured proxies: sorted directory names under proxies/, dot-dirs ignored. */
export function listProxyNames(p: AppPaths): string[] {
  let entries;
  try {
    entries = readdirSync(proxiesDir(p), { withFileTypes: true });
  } catch (error) {
    if (errnoCode(error) === "ENOENT") return [];
    throw new ConfigError(ConfigErrorCode.ReadFailed, `Cannot list proxies in ${proxiesDir(p)}: ${describeOsError(error)}`, {
      path: proxiesDir(p),
      hint: "Check that the directory is readable by you.",
      cause: error,
    });
  }
  return entries
    .filter((e) => e.isDirectory() && !e.name.startsWith("."))
    .map((e) => e.name)
    .sort();
}

/**
 * Checks that `name` is valid and free: throws InvalidName, or ProxyExists when a proxy of that
 * name exists ignoring case.
 */
export function assertNewProxyName(p: AppPaths, name: string): void {
  validateProxyName(name);
  const clash = findProxyNameClash(name, listProxyNames(p));
  if (clash === undefined) return;
  const message =
    clash === name
      ? `Proxy '${name}' already exists.`
      : `Proxy '${name}' clashes with existing proxy '${clash}' (names are compared ignoring case).`;
  throw new ConfigError(ConfigErrorCode.ProxyExists, message, {
    hint: "Choose another name, or see 'mcp-acp proxy list'.",
  });
}
