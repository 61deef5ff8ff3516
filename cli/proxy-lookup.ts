// Finding configured proxies by name, with errors that list what exists.
import { existsSync } from "node:fs";
import { findProxyNameClash, listProxyNames, loadManagerConfig, type ManagerConfig } from "../lib/config/index.ts";
import { managerConfigPath, type AppPaths } from "../lib/paths/index.ts";
import { failure } from "./errors.ts";

export function availableProxiesHint(names: readonly string[]): string {
  return names.length > 0
    ? `Available proxies: ${names.join(", ")}.`
    : "No proxies are configured yet. Create one with 'mcp-acp proxy add'.";
}

/** The exact configured name; throws "not found" naming the available proxies. */
export function requireProxy(paths: AppPaths, name: string): string {
  const names = listProxyNames(paths);
  if (names.includes(name)) return name;
  const otherCase = findProxyNameClash(name, names);
  const hint = otherCase !== undefined ? `Did you mean '${otherCase}'?` : availableProxiesHint(names);
  throw failure(`Proxy '${name}' not found.`, hint);
}

/** manager.json, strictly loaded; "Not initialized." when it does not exist. */
export function requireInitialized(paths: AppPaths): ManagerConfig {
  const file = managerConfigPath(paths);
  if (!existsSync(file)) throw failure("Not initialized.", `Run 'mcp-acp init' to create ${file}.`);
  return loadManagerConfig(paths);
}
