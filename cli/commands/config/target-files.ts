// Loading the selected configuration file, with the errors the config commands share.
import {
  loadProxyConfig,
  parseManagerConfig,
  parseProxyConfig,
  type ManagerConfig,
  type ProxyConfig,
} from "../../../lib/config/index.ts";
import { managerConfigPath, proxyConfigPath, type AppPaths } from "../../../lib/paths/index.ts";
import { requireInitialized, requireProxy } from "../../proxy-lookup.ts";
import type { ConfigTarget } from "./target.ts";

export interface TargetFile {
  label: string;
  file: string;
  /** Strict parse of a raw JSON value, as the daemon would load it. Throws ConfigError. */
  parse(raw: unknown): ManagerConfig | ProxyConfig;
}

/** The target's file; the proxy must exist (exit 1 listing the available names). */
export function targetFile(paths: AppPaths, target: ConfigTarget): TargetFile {
  if (target.kind === "manager") {
    const file = managerConfigPath(paths);
    return { label: "Manager configuration", file, parse: (raw) => parseManagerConfig(raw, file) };
  }
  const name = requireProxy(paths, target.name);
  const file = proxyConfigPath(paths, name);
  return { label: `Proxy '${name}' configuration`, file, parse: (raw) => parseProxyConfig(raw, file) };
}

/** Strictly loaded configuration of the target. */
export function loadTarget(paths: AppPaths, target: ConfigTarget): ManagerConfig | ProxyConfig {
  if (target.kind === "manager") return requireInitialized(paths);
  return loadProxyConfig(paths, requireProxy(paths, target.name));
}
