export { APP_DIR_NAME, HOME_ENV_VAR, defaultLogDirSetting, resolveAppPaths, type AppPaths } from "./app-paths.ts";
export { collapseHome, expandHome, userHome, type PathEnv } from "./home.ts";
export {
  archiveDir,
  emergencyAuditPath,
  logRoot,
  managerConfigPath,
  managerLockPath,
  managerLogDir,
  managerPidPath,
  proxiesDir,
  proxyBootstrapLogPath,
  proxyConfigPath,
  proxyDir,
  proxyLogDir,
  proxyPolicyPath,
  tokensFilePath,
} from "./layout.ts";
export { PRIVATE_DIR_MODE, ensurePrivateDir } from "./private-dir.ts";
export { MAX_SOCKET_PATH_BYTES, apiSocketPath, controlSocketPath, managerSocketPath } from "./sockets.ts";
