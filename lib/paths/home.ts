import { homedir } from "node:os";

/** Environment shape accepted by the path helpers; tests pass their own instead of process.env. */
export type PathEnv = NodeJS.ProcessEnv | Record<string, string | undefined>;

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value !== "" ? value : undefined;
}

/** The user's home directory: $HOME (or %USERPROFILE% on Windows), else what the OS reports. */
export function userHome(env: PathEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const fromEnv = platform === "win32" ? (nonEmpty(env.USERPROFILE) ?? nonEmpty(env.HOME)) : nonEmpty(env.HOME);
  return fromEnv ?? homedir();
}

/** "~" → home, "~/x" → "<home>/x". Other paths (including "~user/x") are returned unchanged. */
export function expandHome(p: string, env: PathEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (p === "~") return userHome(env, platform);
  if (p.startsWith("~/") || (platform === "win32" && p.startsWith("~\\"))) {
    const home = userHome(env, platform).replace(/[\\/]+$/, "");
    return home + p.slice(1);
  }
  return p;
}

/**
 * The inverse of expandHome: "<home>/x" → "~/x". Used to store log_dir portably, so a config copied
 * to another account still points into that account's home.
 */
export function collapseHome(p: string, env: PathEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const home = userHome(env, platform).replace(/[\\/]+$/, "");
  if (home === "") return p;
  if (p === home) return "~";
  const sep = platform === "win32" ? /^[\\/]/ : /^\//;
  if (p.startsWith(home) && sep.test(p.slice(home.length))) return "~" + p.slice(home.length);
  return p;
}
