// Startup steps 1–3 (spec cli-config-auth.md §4): manager.json exists, the proxy exists, its
// config and manager.json load strictly. Every refusal is a StartupError with the exit code and
// the bootstrap event it maps to.
import { existsSync } from "node:fs";
import {
  ConfigError,
  ConfigErrorCode,
  findProxyNameClash,
  listProxyNames,
  loadManagerConfig,
  loadProxyConfig,
  type ManagerConfig,
  proxyNameProblem,
  type ProxyConfig,
} from "../../../lib/config/index.ts";
import {
  type AppPaths,
  managerConfigPath,
  proxyBootstrapLogPath,
  proxyConfigPath,
  proxyPolicyPath,
} from "../../../lib/paths/index.ts";
import { StartupError, StartupErrorCode } from "./errors.ts";

/** Where a known proxy's files are, before anything is loaded. */
export interface ProxyLocation {
  paths: AppPaths;
  name: string;
  configPath: string;
  policyPath: string;
  bootstrapPath: string;
}

export interface ProxySetup extends ProxyLocation {
  manager: ManagerConfig;
  config: ProxyConfig;
  loadedAt: Date;
}

export function availableProxiesText(names: readonly string[]): string {
  return names.length > 0
    ? `Available proxies: ${names.join(", ")}.`
    : "No proxies are configured yet. Create one with 'mcp-acp proxy add'.";
}

/** Steps 1–2: manager.json must exist and the proxy must be configured. */
export function locateProxy(paths: AppPaths, name: string): ProxyLocation {
  const managerPath = managerConfigPath(paths);
  if (!existsSync(managerPath)) {
    throw new StartupError(StartupErrorCode.ManagerConfigMissing, `Manager config not found at ${managerPath}.`, {
      hint: "Run 'mcp-acp init' first, then add a proxy with 'mcp-acp proxy add'.",
    });
  }
  const names = listProxyNames(paths);
  const problem = proxyNameProblem(name);
  if (problem !== undefined || !names.includes(name)) {
    const otherCase = findProxyNameClash(name, names);
    const what = problem === undefined ? `Proxy '${name}' not found.` : `Proxy '${name}' not found: invalid name (${problem}).`;
    throw new StartupError(StartupErrorCode.ProxyNotFound, what, {
      hint: otherCase !== undefined ? `Did you mean '${otherCase}'?` : availableProxiesText(names),
    });
  }
  return {
    paths,
    name,
    configPath: proxyConfigPath(paths, name),
    policyPath: proxyPolicyPath(paths, name),
    bootstrapPath: proxyBootstrapLogPath(paths, name),
  };
}

/** Step 3: config.json and manager.json, both strictly. */
export function loadProxySetup(at: ProxyLocation): ProxySetup {
  const manager = loadManager(at.paths);
  let config: ProxyConfig;
  try {
    config = loadProxyConfig(at.paths, at.name);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const code = error.code === ConfigErrorCode.NotFound ? StartupErrorCode.ConfigNotFound : StartupErrorCode.ConfigInvalid;
    throw new StartupError(code, error.message, { hint: withBackupHint(error.hint, `${at.configPath}.bak`), cause: error });
  }
  return { ...at, manager, config, loadedAt: new Date() };
}

function loadManager(paths: AppPaths): ManagerConfig {
  try {
    return loadManagerConfig(paths);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // A broken manager.json is never replaced by defaults: its auth block decides identity.
    throw new StartupError(StartupErrorCode.ManagerConfigInvalid, error.message, { hint: error.hint, cause: error });
  }
}

function withBackupHint(hint: string | undefined, backup: string): string | undefined {
  if (!existsSync(backup)) return hint;
  const restore = `A backup from an interrupted edit exists: restore it with 'mv ${backup} ${backup.slice(0, -4)}'.`;
  return hint === undefined ? restore : `${hint} ${restore}`;
}
