// The "proxy" request field of the file-based services: a configured proxy by name (its folder
// under proxies/) or by proxy_id. Proxies need not run.
import { ConfigError, listProxyNames, loadManagerConfig, loadProxyConfig, type ProxyConfig } from "../../../../lib/config/index.ts";
import { proxyConfigPath, proxyLogDir, proxyPolicyPath } from "../../../../lib/paths/index.ts";
import type { ConnectError } from "@connectrpc/connect";
import { domainError } from "../../gateway/index.ts";
import type { ManagerApiDeps } from "../deps.ts";
import { fileConfigError, requiredField } from "./errors.ts";

export interface ConfiguredProxy {
  name: string;
  configPath: string;
  policyPath: string;
}

/** The proxy's config.json, parsed; a broken file is FAILED_PRECONDITION "CONFIG_INVALID". */
export function loadConfigOf(deps: ManagerApiDeps, proxy: ConfiguredProxy): ProxyConfig {
  try {
    return loadProxyConfig(deps.paths, proxy.name);
  } catch (error) {
    if (error instanceof ConfigError) throw fileConfigError(error);
    throw error;
  }
}

/** config.json, or undefined when it cannot be read or is invalid (for views that can do without). */
export function readableConfig(deps: ManagerApiDeps, name: string): ProxyConfig | undefined {
  try {
    return loadProxyConfig(deps.paths, name);
  } catch (error) {
    if (error instanceof ConfigError) return undefined;
    throw error;
  }
}

/** The proxy_id in config.json, or undefined when the file cannot be read. */
export function proxyIdOf(deps: ManagerApiDeps, name: string): string | undefined {
  return readableConfig(deps, name)?.proxy_id;
}

function configured(deps: ManagerApiDeps, name: string): ConfiguredProxy {
  return { name, configPath: proxyConfigPath(deps.paths, name), policyPath: proxyPolicyPath(deps.paths, name) };
}

/** Names of the configured proxies; an unreadable proxies/ dir is an error. */
export function configuredNames(deps: ManagerApiDeps): string[] {
  try {
    return listProxyNames(deps.paths);
  } catch (error) {
    if (error instanceof ConfigError) throw fileConfigError(error);
    throw error;
  }
}

/** The configured proxy `ref` names, or undefined. */
export function findConfiguredProxy(deps: ManagerApiDeps, ref: string): ConfiguredProxy | undefined {
  const names = configuredNames(deps);
  if (names.includes(ref)) return configured(deps, ref);
  const byId = names.find((name) => proxyIdOf(deps, name) === ref);
  return byId === undefined ? undefined : configured(deps, byId);
}

export function proxyNotFound(deps: ManagerApiDeps, ref: string): ConnectError {
  const names = configuredNames(deps);
  const known = names.length === 0 ? "No proxies are configured; create one with 'mcp-acp proxy add'." : `Configured: ${names.join(", ")}.`;
  return domainError("PROXY_NOT_FOUND", `Proxy '${ref}' not found. ${known}`, { details: { proxy: ref, available: names.join(",") } });
}

/** Resolves a required proxy field; empty → INVALID_ARGUMENT, unknown → NOT_FOUND "PROXY_NOT_FOUND". */
export function requireConfiguredProxy(deps: ManagerApiDeps, ref: string, field = "proxy"): ConfiguredProxy {
  if (ref.trim() === "") throw requiredField(field, "name a proxy by name or proxy_id");
  const found = findConfiguredProxy(deps, ref);
  if (found === undefined) throw proxyNotFound(deps, ref);
  return found;
}

/** `<log_dir>/mcp-acp/proxies/<name>` with log_dir from manager.json. */
export function proxyLogDirOf(deps: ManagerApiDeps, name: string): string {
  try {
    return proxyLogDir(loadManagerConfig(deps.paths).log_dir, name);
  } catch (error) {
    if (error instanceof ConfigError) throw fileConfigError(error);
    throw error;
  }
}
