// `mcp-acp init`: writes manager.json. Local identity unless all OIDC options are given.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { defineCommand } from "citty";
import {
  defaultManagerConfig,
  loadManagerConfig,
  parseManagerConfig,
  UI_PORT_MAX,
  UI_PORT_MIN,
  writeManagerConfig,
  type ManagerConfig,
} from "../../lib/config/index.ts";
import { managerConfigPath, type AppPaths } from "../../lib/paths/index.ts";
import { appPaths } from "../app-paths.ts";
import { failure, usageError } from "../errors.ts";
import { parseIntegerOption, requireAllOrNone } from "../option-values.ts";
import { printLine, printSuccess, printWarning } from "../ui/index.ts";
import { checkIssuerUrl, parseScopes, requireNonEmpty } from "./identity-options.ts";

export const initCommand = defineCommand({
  meta: { name: "init", description: "Create the shared configuration (manager.json)" },
  args: {
    force: { type: "boolean", description: "Overwrite an existing configuration, keeping settings not given as options" },
    "oidc-issuer": { type: "string", description: "OIDC issuer URL (https://); enables OIDC identity", valueHint: "url" },
    "oidc-client-id": { type: "string", description: "OIDC public client ID", valueHint: "id" },
    "oidc-audience": { type: "string", description: "API audience for access tokens", valueHint: "audience" },
    "oidc-scopes": { type: "string", description: 'Scopes, space separated (default "openid profile email offline_access")', valueHint: "scopes" },
    "ui-port": { type: "string", description: "Dashboard port, 1024-65535 (default 8765)", valueHint: "port" },
    "log-dir": { type: "string", description: "Base directory for logs (default: platform log directory)", valueHint: "dir" },
  },
  run({ args }) {
    const paths = appPaths();
    const file = managerConfigPath(paths);
    const exists = existsSync(file);
    if (exists && args.force !== true) {
      throw failure(`Configuration already exists at ${file}.`, "Run 'mcp-acp init --force' to overwrite it (settings you do not pass are kept).");
    }

    const oidcGiven = requireAllOrNone({
      "--oidc-issuer": args["oidc-issuer"],
      "--oidc-client-id": args["oidc-client-id"],
      "--oidc-audience": args["oidc-audience"],
    });
    if (!oidcGiven && args["oidc-scopes"] !== undefined) {
      throw usageError("Option --oidc-scopes needs --oidc-issuer, --oidc-client-id and --oidc-audience.");
    }
    const uiPort = parseIntegerOption(args["ui-port"], "--ui-port", { min: UI_PORT_MIN, max: UI_PORT_MAX });
    const logDir = args["log-dir"] === undefined ? undefined : storedLogDir(requireNonEmpty(args["log-dir"], "--log-dir"));

    const base = exists ? existingOrDefault(paths, file) : defaultManagerConfig(paths);
    const raw: Record<string, unknown> = {
      ...base,
      ui_port: uiPort ?? base.ui_port,
      log_dir: logDir ?? base.log_dir,
    };
    if (oidcGiven) {
      const issuer = requireNonEmpty(args["oidc-issuer"] ?? "", "--oidc-issuer");
      checkIssuerUrl(issuer);
      const oidc: Record<string, unknown> = {
        issuer,
        client_id: requireNonEmpty(args["oidc-client-id"] ?? "", "--oidc-client-id"),
        audience: requireNonEmpty(args["oidc-audience"] ?? "", "--oidc-audience"),
      };
      if (args["oidc-scopes"] !== undefined) oidc.scopes = parseScopes(args["oidc-scopes"]);
      raw.auth = { mode: "oidc", oidc };
    }
    const config = parseManagerConfig(raw, file);
    writeManagerConfig(paths, config);
    printSaved(file, config);
  },
});

/** "~/x" is kept for expansion on use; a relative path is made absolute now. */
function storedLogDir(dir: string): string {
  return dir === "~" || dir.startsWith("~/") ? dir : resolve(dir);
}

function existingOrDefault(paths: AppPaths, file: string): ManagerConfig {
  try {
    return loadManagerConfig(paths);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    printWarning(`The existing ${file} could not be read (${reason}); starting from defaults.`);
    return defaultManagerConfig(paths);
  }
}

function printSaved(file: string, config: ManagerConfig): void {
  printSuccess(`Configuration saved to ${file}`);
  const identity = config.auth.mode === "oidc" ? `OIDC (issuer ${config.auth.oidc.issuer})` : "local (the OS user running the proxy)";
  printLine(`  Identity:      ${identity}`);
  printLine(`  Dashboard:     http://127.0.0.1:${config.ui_port}`);
  printLine(`  Log directory: ${config.log_dir}`);
  printLine();
  printLine("Next steps:");
  printLine("  1. Add a proxy for an MCP server:   mcp-acp proxy add");
  printLine("  2. Show the MCP client snippet:     mcp-acp install mcp-json");
}
