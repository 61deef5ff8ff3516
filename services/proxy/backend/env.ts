// The environment a STDIO backend gets: the same small allow-list the MCP SDK uses (after
// sudo's defaults), so proxy secrets, tokens and MCP_ACP_* never leak into the backend.

export const INHERITED_ENV_VARS: readonly string[] =
  process.platform === "win32"
    ? ["APPDATA", "HOMEDRIVE", "HOMEPATH", "LOCALAPPDATA", "PATH", "PROCESSOR_ARCHITECTURE", "SYSTEMDRIVE", "SYSTEMROOT", "TEMP", "USERNAME", "USERPROFILE", "PROGRAMFILES"]
    : ["HOME", "LOGNAME", "PATH", "SHELL", "TERM", "USER"];

export function minimalEnv(source: Readonly<Record<string, string | undefined>> = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of INHERITED_ENV_VARS) {
    const value = source[key];
    // Exported shell functions ("() { …") are a known injection vector (Shellshock).
    if (value === undefined || value.startsWith("()")) continue;
    env[key] = value;
  }
  return env;
}
