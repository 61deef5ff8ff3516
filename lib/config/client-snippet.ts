// The MCP client configuration snippet ({"mcpServers": …}) that starts a proxy. Paths are
// absolute because GUI clients (Claude Desktop…) run with a minimal PATH that usually lacks bun.
// Used by `install mcp-json` and `proxy add` and by the manager's GetConfigSnippet, so all three
// print the same entries.
import { realpathSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

export interface McpServerEntry {
  command: string;
  args: string[];
}

export interface ClientSnippet {
  mcpServers: Record<string, McpServerEntry>;
}

/** How this CLI is launched: the runtime executable plus, unless compiled, the entry script. */
export interface CliLauncher {
  command: string;
  entryArgs: string[];
}

// `bun build --compile` embeds modules under a virtual root; the executable is then the CLI.
const COMPILED = import.meta.path.startsWith("/$bunfs/") || import.meta.path.includes("~BUN");

function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

// The CLI entry script, by path only (lib/ never imports cli/).
const CLI_ENTRY = join(import.meta.dir, "..", "..", "cli", "main.ts");

export function currentLauncher(): CliLauncher {
  const command = realPath(process.execPath);
  return COMPILED ? { command, entryArgs: [] } : { command, entryArgs: [realPath(CLI_ENTRY)] };
}

export function buildClientSnippet(proxyNames: readonly string[], launcher: CliLauncher = currentLauncher()): ClientSnippet {
  const mcpServers: Record<string, McpServerEntry> = {};
  for (const name of proxyNames) {
    mcpServers[name] = { command: launcher.command, args: [...launcher.entryArgs, "start", "--proxy", name] };
  }
  return { mcpServers };
}

export function formatSnippet(snippet: ClientSnippet): string {
  return `${JSON.stringify(snippet, null, 2)}\n`;
}

/** Where Claude Desktop reads its MCP server list on this platform. */
export function claudeDesktopConfigPath(
  platform: NodeJS.Platform = process.platform,
  env: Record<string, string | undefined> = process.env,
): string {
  const home = env.HOME ?? homedir();
  if (platform === "darwin") return join(home, "Library", "Application Support", "Claude", "claude_desktop_config.json");
  if (platform === "win32") return join(env.APPDATA ?? join(home, "AppData", "Roaming"), "Claude", "claude_desktop_config.json");
  return join(env.XDG_CONFIG_HOME ?? join(home, ".config"), "Claude", "claude_desktop_config.json");
}
