import { ensurePrivateDir, managerConfigPath, defaultLogDirSetting, type AppPaths } from "../paths/index.ts";
import { writeFileAtomic } from "./atomic-write.ts";
import { ConfigError, ConfigErrorCode, directoryWriteError } from "./errors.ts";
import { formatJson } from "./format-json.ts";
import { MANAGER_INVALID_HINT, parseManagerConfig, type ManagerConfig } from "./manager-schema.ts";
import { readConfigJson, type ConfigFileKind } from "./read-json.ts";

const MANAGER_FILE: ConfigFileKind = {
  label: "manager",
  notFoundHint: "Run 'mcp-acp init'.",
  fixHint: MANAGER_INVALID_HINT,
};

/** Loads manager.json; throws ConfigError NotFound / ReadFailed / InvalidJson / Invalid. */
export function loadManagerConfig(p: AppPaths): ManagerConfig {
  const path = managerConfigPath(p);
  return parseManagerConfig(readConfigJson(path, MANAGER_FILE), path, defaultLogDirSetting(p));
}

/**
 * Like loadManagerConfig but returns null when manager.json does not exist (other failures still
 * throw). Lets `init --force` keep existing ui_port/log_dir.
 */
export function tryLoadManagerConfig(p: AppPaths): ManagerConfig | null {
  try {
    return loadManagerConfig(p);
  } catch (error) {
    if (error instanceof ConfigError && error.code === ConfigErrorCode.NotFound) return null;
    throw error;
  }
}

/** Validates, then writes manager.json atomically (0600, config dir 0700). */
export function writeManagerConfig(p: AppPaths, c: ManagerConfig): void {
  const path = managerConfigPath(p);
  // Re-validating means no code path can persist a file that the next load would reject.
  const valid = parseManagerConfig(c, path);
  try {
    ensurePrivateDir(p.configDir);
  } catch (error) {
    throw directoryWriteError(p.configDir, path, error);
  }
  writeFileAtomic(path, formatJson(valid));
}
