// ConfigService: a proxy's config.json (running config when it runs), field-mask updates with an
// optimistic version, the comparison of running and saved config, and manager.json. SetApiKey and
// DeleteApiKey need the secret store, which does not exist yet: they are not registered, so they
// answer UNIMPLEMENTED.
import type { MessageInitShape } from "@bufbuild/protobuf";
import { Code, type ConnectError, type ServiceImpl } from "@connectrpc/connect";
import { statSync } from "node:fs";
import {
  ConfigError,
  ConfigErrorCode,
  loadManagerConfig,
  managerConfigMessage,
  parseProxyConfig,
  proxyConfigDocument,
  proxyConfigMessage,
  writeProxyConfig,
  type ProxyConfig,
} from "../../../../lib/config/index.ts";
import type {
  CompareConfigRequest,
  CompareConfigResponseSchema,
  ConfigService,
  GetConfigRequest,
  GetConfigResponseSchema,
  UpdateConfigRequest,
  UpdateConfigResponseSchema,
} from "../../../../lib/gen/mcpacp/api/v1/config_service_pb.ts";
import { expandHome, managerConfigPath } from "../../../../lib/paths/index.ts";
import { apiError, domainError, type ApiFieldViolation } from "../../gateway/index.ts";
import { findAttached } from "../common/attached.ts";
import { fileConfigError, guarded, requiredField } from "../common/errors.ts";
import { readVersioned, versionMismatch } from "../common/file-version.ts";
import type { KeyedMutex } from "../common/keyed-mutex.ts";
import { loadConfigOf, proxyLogDirOf, requireConfiguredProxy } from "../common/proxy-ref.ts";
import { configViolations } from "../common/violations.ts";
import { forward, tryForward } from "../control/forward.ts";
import type { ManagerApiDeps } from "../deps.ts";
import { configChanges } from "./config-diff.ts";
import { applyConfigMask } from "./field-mask.ts";

async function getConfig(deps: ManagerApiDeps, req: GetConfigRequest): Promise<MessageInitShape<typeof GetConfigResponseSchema>> {
  const proxy = requireConfiguredProxy(deps, req.proxy);
  const { version } = readVersioned(proxy.configPath);
  const logDir = proxyLogDirOf(deps, proxy.name);
  const attached = findAttached(deps, proxy.name);
  if (attached !== undefined) {
    const running = await tryForward(deps, attached, (client, options) => client.getRunningConfig({}, options));
    // A proxy that cannot tell its running config (unreachable, too old) is shown with the file.
    if (running.ok && running.value.config !== undefined) {
      return { config: running.value.config, version, configPath: proxy.configPath, logDir: running.value.logDir || logDir, running: true };
    }
  }
  return { config: proxyConfigMessage(loadConfigOf(deps, proxy)), version, configPath: proxy.configPath, logDir, running: false };
}

/** The mTLS files a changed config names must exist (the proxy could not start otherwise). */
function missingMtlsFiles(before: ProxyConfig, after: ProxyConfig): ApiFieldViolation[] {
  const mtls = after.mtls;
  if (mtls == null) return [];
  const violations: ApiFieldViolation[] = [];
  for (const key of ["client_cert_path", "client_key_path", "ca_bundle_path"] as const) {
    if (before.mtls?.[key] === mtls[key]) continue;
    const path = expandHome(mtls[key]);
    let isFile = false;
    try {
      isFile = statSync(path).isFile();
    } catch {
      // reported below
    }
    if (!isFile) violations.push({ field: `mtls.${key}`, description: `file not found: ${path}`, reason: "FILE_NOT_FOUND" });
  }
  return violations;
}

function invalidConfig(path: string, violations: ApiFieldViolation[]): ConnectError {
  const list = violations.map((v) => (v.field === "" ? v.description : `${v.field}: ${v.description}`)).join("; ");
  return domainError("CONFIG_INVALID", `The config change for ${path} is invalid: ${list}.`, { details: { path }, violations });
}

async function updateConfig(deps: ManagerApiDeps, locks: KeyedMutex, req: UpdateConfigRequest): Promise<MessageInitShape<typeof UpdateConfigResponseSchema>> {
  const proxy = requireConfiguredProxy(deps, req.proxy);
  if (req.config === undefined) throw requiredField("config", "the new values of the fields named in update_mask");
  const requested = req.config;
  return locks.run(`config:${proxy.name}`, () => {
    const before = readVersioned(proxy.configPath);
    if (before.text === null) throw domainError("CONFIG_NOT_FOUND", `Config file ${proxy.configPath} no longer exists.`, { details: { path: proxy.configPath } });
    if (req.expectedVersion !== before.version) throw versionMismatch("CONFIG", proxy.configPath, req.expectedVersion, before.version);
    const current = loadConfigOf(deps, proxy);
    const merged = applyConfigMask(current, proxyConfigDocument(requested), req.updateMask?.paths ?? []);
    if (merged.violations.length > 0) throw invalidConfig(proxy.configPath, merged.violations);
    let valid: ProxyConfig;
    try {
      valid = parseProxyConfig(merged.document, proxy.configPath);
    } catch (error) {
      if (error instanceof ConfigError && error.code === ConfigErrorCode.Invalid) throw invalidConfig(proxy.configPath, configViolations(error.issues));
      throw error;
    }
    const missing = missingMtlsFiles(current, valid);
    if (missing.length > 0) throw invalidConfig(proxy.configPath, missing);
    // Another writer (an editor, the CLI) may have changed the file while this request was checked.
    const now = readVersioned(proxy.configPath);
    if (now.version !== before.version) throw versionMismatch("CONFIG", proxy.configPath, req.expectedVersion, now.version);
    try {
      writeProxyConfig(deps.paths, proxy.name, valid);
    } catch (error) {
      if (error instanceof ConfigError) throw fileConfigError(error);
      throw error;
    }
    const running = findAttached(deps, proxy.name) !== undefined;
    return {
      config: proxyConfigMessage(valid),
      version: readVersioned(proxy.configPath).version,
      message: running ? `Saved ${proxy.configPath}. Restart proxy '${proxy.name}' to apply the changes.` : `Saved ${proxy.configPath}. The changes apply when proxy '${proxy.name}' starts.`,
      restartRequired: running,
    };
  });
}

async function compareConfig(deps: ManagerApiDeps, req: CompareConfigRequest): Promise<MessageInitShape<typeof CompareConfigResponseSchema>> {
  const proxy = requireConfiguredProxy(deps, req.proxy);
  const saved = proxyConfigMessage(loadConfigOf(deps, proxy));
  const attached = findAttached(deps, proxy.name);
  if (attached === undefined) {
    return { comparison: { hasChanges: false, savedConfig: saved, message: `Proxy '${proxy.name}' is not running; nothing to compare.` } };
  }
  const running = await forward(deps, attached, "GetRunningConfig", (client, options) => client.getRunningConfig({}, options));
  if (running.config === undefined) {
    throw apiError(Code.Unavailable, "PROXY_ERROR", `Proxy '${proxy.name}' returned no running config.`, { details: { proxy: proxy.name } });
  }
  const changes = configChanges(running.config, saved);
  const n = changes.length;
  return {
    comparison: {
      hasChanges: n > 0,
      changes,
      runningConfig: running.config,
      savedConfig: saved,
      message: n === 0 ? "The running config matches config.json." : `${n} change${n === 1 ? "" : "s"}; restart proxy '${proxy.name}' to apply ${n === 1 ? "it" : "them"}.`,
    },
  };
}

export function configServiceImpl(deps: ManagerApiDeps, locks: KeyedMutex): Partial<ServiceImpl<typeof ConfigService>> {
  return {
    getConfig: guarded("reading the proxy config", (req: GetConfigRequest) => getConfig(deps, req)),
    updateConfig: guarded("updating the proxy config", (req: UpdateConfigRequest) => updateConfig(deps, locks, req)),
    compareConfig: guarded("comparing the proxy config", (req: CompareConfigRequest) => compareConfig(deps, req)),
    getManagerConfig: guarded("reading manager.json", () => ({
      config: managerConfigMessage(loadManagerConfig(deps.paths)),
      configPath: managerConfigPath(deps.paths),
    })),
  };
}
