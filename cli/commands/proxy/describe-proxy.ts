// Human-readable pieces of a proxy's configuration, shared by `proxy list` and `proxy show`.
import { proxyLogDir, controlSocketPath, proxyConfigPath, proxyPolicyPath, type AppPaths } from "../../../lib/paths/index.ts";
import type { ManagerConfig, ProxyConfig } from "../../../lib/config/index.ts";

/** Quote an argument for display only when a shell would need it. */
export function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function commandLine(command: string, args: readonly string[]): string {
  return [command, ...args].map(shellQuote).join(" ");
}

/** "npx -y pkg", "https://…", or both for auto. */
export function backendSummary(config: ProxyConfig): string {
  const parts: string[] = [];
  const { stdio, http } = config.backend;
  if (stdio != null) parts.push(commandLine(stdio.command, stdio.args));
  if (http != null) parts.push(http.url);
  return parts.join(" | ");
}

export interface ProxyFiles {
  name: string;
  config_file: string;
  policy_file: string;
  control_socket: string;
  /** Absent when manager.json (which holds log_dir) cannot be read. */
  log_dir?: string;
}

export function proxyFiles(paths: AppPaths, name: string, manager: ManagerConfig | undefined): ProxyFiles {
  const files: ProxyFiles = {
    name,
    config_file: proxyConfigPath(paths, name),
    policy_file: proxyPolicyPath(paths, name),
    control_socket: controlSocketPath(paths, name),
  };
  if (manager !== undefined) files.log_dir = proxyLogDir(manager.log_dir, name);
  return files;
}
