// Builds the demo's world with the same library calls the CLI commands use: manager.json (kept
// when a valid one exists), a sandbox folder, and the proxy `demo-fs` in front of the reference
// filesystem server — recreated on every run, together with its logs, so each run starts clean.
import { rmSync } from "node:fs";
import { join } from "node:path";
import {
  DEFAULT_HITL,
  DEFAULT_LIMITS,
  ConfigError,
  ConfigErrorCode,
  defaultManagerConfig,
  generateProxyId,
  loadManagerConfig,
  type ManagerConfig,
  type ProxyConfig,
  writeFileAtomic,
  writeManagerConfig,
  writeProxyConfig,
} from "../../lib/config/index.ts";
import {
  type AppPaths,
  managerConfigPath,
  proxyConfigPath,
  proxyDir,
  proxyLogDir,
  proxyPolicyPath,
  resolveAppPaths,
} from "../../lib/paths/index.ts";
import type { Policy } from "../../lib/policy/index.ts";
import { failure } from "../errors.ts";
import { prepareSandbox } from "./sandbox.ts";
import { samplePolicy } from "./sample-policy.ts";

export const DEMO_PROXY_NAME = "demo-fs";
export const DEMO_SERVER_NAME = "filesystem";
const FS_SERVER_ENTRY = "@modelcontextprotocol/server-filesystem/dist/index.js";

export interface DemoSetup {
  home: string;
  paths: AppPaths;
  manager: ManagerConfig;
  proxyName: string;
  /** backend.server_name: the backend id policy rules and the tools/list filter see. */
  serverName: string;
  /** Real path of the sandbox the filesystem server serves. */
  sandbox: string;
  configPath: string;
  policyPath: string;
  logDir: string;
  policy: Policy;
  /** The backend command, as written to config.json. */
  backend: { command: string; args: string[] };
}

/** The filesystem server's entry script, or a failure saying how to install it. */
export function filesystemServerEntry(): string {
  try {
    return Bun.resolveSync(FS_SERVER_ENTRY, import.meta.dir);
  } catch {
    throw failure(
      "The reference filesystem MCP server (@modelcontextprotocol/server-filesystem) is not installed.",
      "Run 'bun install' in the mcp-acp checkout; the demo runs it as the backend.",
    );
  }
}

function ensureManagerConfig(paths: AppPaths): ManagerConfig {
  try {
    return loadManagerConfig(paths);
  } catch (error) {
    if (!(error instanceof ConfigError) || error.code !== ConfigErrorCode.NotFound) {
      throw failure(
        `The demo home already has a manager.json that cannot be used: ${error instanceof Error ? error.message : String(error)}`,
        `Fix ${managerConfigPath(paths)} or point MCP_ACP_HOME at an empty folder.`,
      );
    }
  }
  const config = defaultManagerConfig(paths);
  writeManagerConfig(paths, config);
  return config;
}

/** Creates or resets everything the demo needs under `home`. */
export function setUpDemo(home: string): DemoSetup {
  const paths = resolveAppPaths({ MCP_ACP_HOME: home, HOME: process.env.HOME });
  const manager = ensureManagerConfig(paths);
  const sandbox = prepareSandbox(join(home, "demo-sandbox"));
  const name = DEMO_PROXY_NAME;
  const logDir = proxyLogDir(manager.log_dir, name);
  rmSync(proxyDir(paths, name), { recursive: true, force: true });
  rmSync(logDir, { recursive: true, force: true });

  const backend = { command: process.execPath, args: [filesystemServerEntry(), sandbox] };
  const configPath = proxyConfigPath(paths, name);
  const config: ProxyConfig = {
    schema_version: 1,
    proxy_id: generateProxyId(DEMO_SERVER_NAME),
    created_at: new Date().toISOString(),
    backend: { server_name: DEMO_SERVER_NAME, transport: "stdio", stdio: { ...backend, attestation: null } },
    hitl: { ...DEFAULT_HITL },
    limits: { ...DEFAULT_LIMITS },
    // DEBUG makes the proxy log every decision record on stderr, where the demo reads them.
    log_level: "DEBUG",
    include_payloads: true,
  };
  writeProxyConfig(paths, name, config);
  const { policy, text } = samplePolicy(sandbox);
  const policyPath = proxyPolicyPath(paths, name);
  writeFileAtomic(policyPath, text); // the directory exists: writeProxyConfig made it 0700
  return { home, paths, manager, proxyName: name, serverName: DEMO_SERVER_NAME, sandbox, configPath, policyPath, logDir, policy, backend };
}
