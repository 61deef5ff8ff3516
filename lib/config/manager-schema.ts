import { defaultLogDirSetting, resolveAppPaths, type AppPaths, type PathEnv } from "../paths/index.ts";
import { Checker, isJsonObject, type JsonObject } from "./checker.ts";
import { AUTH_MODES, DEFAULT_OIDC_SCOPES, DEFAULT_UI_PORT, UI_PORT_MAX, UI_PORT_MIN } from "./constants.ts";
import { ConfigError, ConfigErrorCode, formatIssues } from "./errors.ts";
import { CURRENT_SCHEMA_VERSION, readSchemaVersion } from "./schema-version.ts";
import { issuerUrlProblem } from "./url-rules.ts";

export interface OidcSettings {
  issuer: string;
  client_id: string;
  audience: string;
  scopes: string[];
}

export type IdentityConfig = { mode: "local" } | { mode: "oidc"; oidc: OidcSettings };

/** manager.json: settings shared by the manager and every proxy. */
export interface ManagerConfig {
  schema_version: 1;
  ui_port: number;
  /** Base of the log tree, may start with "~"; expand with lib/paths expandHome before use. */
  log_dir: string;
  auth: IdentityConfig;
}

export const MANAGER_CONFIG_KEYS = ["schema_version", "ui_port", "log_dir", "auth"] as const;

export const MANAGER_INVALID_HINT = "Fix the file with 'mcp-acp config edit --manager', or recreate it with 'mcp-acp init --force'.";

export function defaultManagerConfig(p: AppPaths, env: PathEnv = process.env): ManagerConfig {
  return {
    schema_version: CURRENT_SCHEMA_VERSION,
    ui_port: DEFAULT_UI_PORT,
    log_dir: defaultLogDirSetting(p, env),
    auth: { mode: "local" },
  };
}

function readOidc(auth: JsonObject, c: Checker): OidcSettings {
  const oidc = c.object(auth, "oidc", "auth", { required: true });
  if (oidc === undefined || oidc === null) return { issuer: "", client_id: "", audience: "", scopes: [] };
  c.knownKeys(oidc, "auth.oidc", ["issuer", "client_id", "audience", "scopes"]);
  const issuer = c.requiredString(oidc, "issuer", "auth.oidc");
  if (issuer !== "") {
    const problem = issuerUrlProblem(issuer);
    if (problem !== undefined) c.add("auth.oidc.issuer", problem);
  }
  return {
    issuer,
    client_id: c.requiredString(oidc, "client_id", "auth.oidc"),
    audience: c.requiredString(oidc, "audience", "auth.oidc"),
    scopes: c.stringArray(oidc, "scopes", "auth.oidc", DEFAULT_OIDC_SCOPES, { nonEmptyItems: true }),
  };
}

function readAuth(obj: JsonObject, c: Checker): IdentityConfig {
  const auth = c.object(obj, "auth", "");
  if (auth === undefined || auth === null) return { mode: "local" };
  const before = c.issues.length;
  const mode = c.oneOf(auth, "mode", "auth", AUTH_MODES, undefined);
  if (c.issues.length > before) {
    // Mode unknown: only report stray keys; the oidc block cannot be judged without a mode.
    c.knownKeys(auth, "auth", ["mode", "oidc"]);
    return { mode: "local" };
  }
  if (mode === "oidc") {
    c.knownKeys(auth, "auth", ["mode", "oidc"]);
    return { mode, oidc: readOidc(auth, c) };
  }
  if (auth.oidc !== undefined) c.add("auth.oidc", "only allowed when auth.mode is 'oidc'");
  c.knownKeys(auth, "auth", ["mode", "oidc"]);
  return { mode: "local" };
}

/**
 * Validates parsed manager.json content; throws ConfigError(Invalid) listing every problem.
 * Absent keys get their defaults; `defaultLogDir` fills a missing log_dir (default: the platform
 * log base of the current environment).
 */
export function parseManagerConfig(raw: unknown, file: string, defaultLogDir?: string): ManagerConfig {
  const c = new Checker();
  if (!isJsonObject(raw)) {
    c.add("", "must be a JSON object");
    throw invalidManager(file, c);
  }
  const obj: JsonObject = raw;
  c.knownKeys(obj, "", MANAGER_CONFIG_KEYS);
  const config: ManagerConfig = {
    schema_version: readSchemaVersion(obj, c),
    ui_port: c.integer(obj, "ui_port", "", UI_PORT_MIN, UI_PORT_MAX, DEFAULT_UI_PORT),
    log_dir: c.string(obj, "log_dir", "", { nonEmpty: true }) ?? defaultLogDir ?? defaultLogDirSetting(resolveAppPaths()),
    auth: readAuth(obj, c),
  };
  if (c.issues.length > 0) throw invalidManager(file, c);
  return config;
}

function invalidManager(file: string, c: Checker): ConfigError {
  return new ConfigError(ConfigErrorCode.Invalid, `Invalid manager configuration in ${file}:\n${formatIssues(c.issues)}`, {
    path: file,
    issues: c.issues,
    hint: MANAGER_INVALID_HINT,
  });
}
