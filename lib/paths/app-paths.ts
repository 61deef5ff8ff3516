import { posix, win32 } from "node:path";
import { collapseHome, expandHome, userHome, type PathEnv } from "./home.ts";

/** The application's name as used in directory names. */
export const APP_DIR_NAME = "mcp-acp";

/** Environment variable that puts config, logs and runtime files under one folder. */
export const HOME_ENV_VAR = "MCP_ACP_HOME";

export interface AppPaths {
  /** Holds manager.json and proxies/<name>/. */
  configDir: string;
  /** Default value of manager.json `log_dir`; logs live in `<log_dir>/mcp-acp/…`. */
  defaultLogBase: string;
  /** Unix sockets, pid and lock files. */
  runtimeDir: string;
  /** The MCP_ACP_HOME folder when it is set, else null (platform directories are in use). */
  home: string | null;
}

function absoluteOrUndefined(value: string | undefined, isAbsolute: (p: string) => boolean): string | undefined {
  // The XDG spec says relative values must be ignored.
  return value !== undefined && value !== "" && isAbsolute(value) ? value : undefined;
}

function uidSuffix(): string {
  const uid = process.getuid?.();
  return uid === undefined ? "user" : String(uid);
}

function platformPaths(env: PathEnv, platform: NodeJS.Platform): Omit<AppPaths, "home"> {
  const home = userHome(env, platform);
  if (platform === "darwin") {
    return {
      configDir: posix.join(home, "Library", "Application Support", APP_DIR_NAME),
      defaultLogBase: posix.join(home, "Library", "Logs"),
      runtimeDir: posix.join(home, "Library", "Caches", "TemporaryItems", APP_DIR_NAME),
    };
  }
  if (platform === "win32") {
    const roaming = absoluteOrUndefined(env.APPDATA, win32.isAbsolute) ?? win32.join(home, "AppData", "Roaming");
    const local = absoluteOrUndefined(env.LOCALAPPDATA, win32.isAbsolute) ?? win32.join(home, "AppData", "Local");
    return {
      configDir: win32.join(roaming, APP_DIR_NAME),
      defaultLogBase: local,
      // The original has no runtime dir on Windows; keep sockets beside the local app data.
      runtimeDir: win32.join(local, APP_DIR_NAME, "run"),
    };
  }
  // Linux and the other Unix systems follow the XDG base directory spec.
  const configBase = absoluteOrUndefined(env.XDG_CONFIG_HOME, posix.isAbsolute) ?? posix.join(home, ".config");
  const stateBase = absoluteOrUndefined(env.XDG_STATE_HOME, posix.isAbsolute) ?? posix.join(home, ".local", "state");
  const xdgRuntime = absoluteOrUndefined(env.XDG_RUNTIME_DIR, posix.isAbsolute);
  const tmp = absoluteOrUndefined(env.TMPDIR, posix.isAbsolute) ?? "/tmp";
  return {
    configDir: posix.join(configBase, APP_DIR_NAME),
    defaultLogBase: stateBase,
    // Without XDG_RUNTIME_DIR (cron, ssh without pam_systemd, containers) a per-uid folder in the
    // temp dir keeps users apart; it is created 0700 before use.
    runtimeDir: xdgRuntime !== undefined ? posix.join(xdgRuntime, APP_DIR_NAME) : posix.join(tmp, `${APP_DIR_NAME}-${uidSuffix()}`),
  };
}

/**
 * Where mcp-acp keeps its files. MCP_ACP_HOME=/x gives /x/config, /x/logs and /x/run; otherwise
 * the platform's conventional directories (spec cli-config-auth.md §1).
 */
export function resolveAppPaths(env: PathEnv = process.env, platform: NodeJS.Platform = process.platform): AppPaths {
  const override = env[HOME_ENV_VAR];
  if (override !== undefined && override !== "") {
    const path = platform === "win32" ? win32 : posix;
    const expanded = expandHome(override, env, platform);
    // resolve() also drops trailing separators; relative values are taken from the working directory.
    const root = path.resolve(expanded);
    return {
      configDir: path.join(root, "config"),
      defaultLogBase: path.join(root, "logs"),
      runtimeDir: path.join(root, "run"),
      home: root,
    };
  }
  return { ...platformPaths(env, platform), home: null };
}

/** The default `log_dir` for manager.json: the log base, written with "~" when it is under HOME. */
export function defaultLogDirSetting(p: AppPaths, env: PathEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  return collapseHome(p.defaultLogBase, env, platform);
}
