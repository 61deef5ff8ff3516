import { afterAll, beforeEach, describe, expect, test } from "bun:test";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { managerConfigPath, proxiesDir, proxyConfigPath, proxyDir, proxyPolicyPath, resolveAppPaths, type AppPaths } from "../paths/index.ts";
import { ConfigError, ConfigErrorCode } from "./errors.ts";
import { formatJson } from "./format-json.ts";
import { generateProxyId } from "./identifiers.ts";
import { defaultManagerConfig, type ManagerConfig } from "./manager-schema.ts";
import { loadManagerConfig, tryLoadManagerConfig, writeManagerConfig } from "./manager-store.ts";
import { DEFAULT_LIMITS, type ProxyConfig } from "./proxy-schema.ts";
import { assertNewProxyName, listProxyNames, loadProxyConfig, writeDefaultPolicy, writeProxyConfig } from "./proxy-store.ts";

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

let p: AppPaths;
let env: Record<string, string | undefined>;
beforeEach(() => {
  const root = mkdtempSync(join(tmpdir(), "mcp-acp-config-"));
  roots.push(root);
  env = { MCP_ACP_HOME: root, HOME: "/nonexistent-home" };
  p = resolveAppPaths(env, "linux");
});

function catchConfigError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

function mode(path: string): number {
  return statSync(path).mode & 0o777;
}

function sampleProxy(): ProxyConfig {
  return {
    schema_version: 1,
    proxy_id: generateProxyId("Filesystem Server"),
    created_at: new Date().toISOString(),
    backend: {
      server_name: "Filesystem Server",
      transport: "stdio",
      stdio: { command: "npx", args: ["-y", "@modelcontextprotocol/server-filesystem", "/tmp"] },
    },
    hitl: { timeout_seconds: 60, default_on_timeout: "deny", approval_ttl_seconds: 600 },
    limits: { ...DEFAULT_LIMITS },
    log_level: "INFO",
    include_payloads: true,
  };
}

describe("manager.json", () => {
  test("write → load round trip, 0600 file in a 0700 dir", () => {
    const config: ManagerConfig = {
      ...defaultManagerConfig(p, env),
      ui_port: 9000,
      auth: { mode: "oidc", oidc: { issuer: "https://id.example.com/", client_id: "c", audience: "a", scopes: ["openid"] } },
    };
    writeManagerConfig(p, config);
    const path = managerConfigPath(p);
    expect(loadManagerConfig(p)).toEqual(config);
    expect(readFileSync(path, "utf8")).toBe(formatJson(config));
    expect(mode(path)).toBe(0o600);
    expect(mode(p.configDir)).toBe(0o700);
    expect(readdirSync(p.configDir)).toEqual(["manager.json"]);
  });

  test("an existing wide config dir is tightened on write", () => {
    mkdirSync(p.configDir, { recursive: true });
    chmodSync(p.configDir, 0o755);
    writeManagerConfig(p, defaultManagerConfig(p, env));
    expect(mode(p.configDir)).toBe(0o700);
  });

  test("missing file: NotFound with the path and the init hint", () => {
    const e = catchConfigError(() => loadManagerConfig(p));
    expect(e.code).toBe(ConfigErrorCode.NotFound);
    expect(e.message).toBe(`Manager configuration file not found at ${managerConfigPath(p)}.`);
    expect(e.hint).toBe("Run 'mcp-acp init'.");
    expect(tryLoadManagerConfig(p)).toBeNull();
  });

  test("bad JSON: InvalidJson naming the file", () => {
    mkdirSync(p.configDir, { recursive: true });
    writeFileSync(managerConfigPath(p), "{ ui_port: 1 ");
    const e = catchConfigError(() => loadManagerConfig(p));
    expect(e.code).toBe(ConfigErrorCode.InvalidJson);
    expect(e.message).toStartWith(`Invalid JSON in manager configuration file ${managerConfigPath(p)}: `);
    expect(e.path).toBe(managerConfigPath(p));
    expect(e.hint).toContain("mcp-acp config edit --manager");
    expect(() => tryLoadManagerConfig(p)).toThrow(ConfigError);
  });

  test("empty file is reported as such", () => {
    mkdirSync(p.configDir, { recursive: true });
    writeFileSync(managerConfigPath(p), "");
    expect(catchConfigError(() => loadManagerConfig(p)).message).toBe(
      `Invalid JSON in manager configuration file ${managerConfigPath(p)}: the file is empty`,
    );
  });

  test("invalid values: Invalid with one line per problem", () => {
    mkdirSync(p.configDir, { recursive: true });
    writeFileSync(managerConfigPath(p), JSON.stringify({ ui_port: 80, ui_prot: 1 }));
    const e = catchConfigError(() => loadManagerConfig(p));
    expect(e.code).toBe(ConfigErrorCode.Invalid);
    expect(e.message).toBe(
      `Invalid manager configuration in ${managerConfigPath(p)}:\n  - ui_prot: unknown key\n  - ui_port: must be an integer between 1024 and 65535`,
    );
  });

  test("unreadable (a directory in the way): ReadFailed naming the file", () => {
    mkdirSync(managerConfigPath(p), { recursive: true });
    const e = catchConfigError(() => loadManagerConfig(p));
    expect(e.code).toBe(ConfigErrorCode.ReadFailed);
    expect(e.message).toStartWith(`Cannot read manager configuration file ${managerConfigPath(p)}: `);
    expect(e.message).toContain("EISDIR");
  });

  test("missing log_dir is filled with the default log base of these paths", () => {
    mkdirSync(p.configDir, { recursive: true });
    writeFileSync(managerConfigPath(p), "\uFEFF{}");
    expect(loadManagerConfig(p).log_dir).toBe(p.defaultLogBase);
  });

  test("writing an invalid config is refused and nothing is written", () => {
    const e = catchConfigError(() => writeManagerConfig(p, { ...defaultManagerConfig(p, env), ui_port: 1 }));
    expect(e.code).toBe(ConfigErrorCode.Invalid);
    expect(() => statSync(managerConfigPath(p))).toThrow();
  });

  test("a file where the config dir should be: WriteFailed naming the path", () => {
    mkdirSync(p.home ?? "", { recursive: true });
    writeFileSync(p.configDir, "not a dir");
    const e = catchConfigError(() => writeManagerConfig(p, defaultManagerConfig(p, env)));
    expect(e.code).toBe(ConfigErrorCode.WriteFailed);
    expect(e.message).toContain(managerConfigPath(p));
  });
});

describe("proxies", () => {
  test("write → load round trip with 0700 dirs and 0600 files", () => {
    const config = sampleProxy();
    writeProxyConfig(p, "fs", config);
    expect(loadProxyConfig(p, "fs")).toEqual(config);
    for (const dir of [p.configDir, proxiesDir(p), proxyDir(p, "fs")]) expect(mode(dir)).toBe(0o700);
    expect(mode(proxyConfigPath(p, "fs"))).toBe(0o600);
    expect(readFileSync(proxyConfigPath(p, "fs"), "utf8")).toBe(formatJson(config));
  });

  test("written files keep a fixed key order and drop undefined optionals", () => {
    const config = { ...sampleProxy(), mtls: undefined };
    writeProxyConfig(p, "fs", config);
    const keys = Object.keys(JSON.parse(readFileSync(proxyConfigPath(p, "fs"), "utf8")) as object);
    expect(keys).toEqual(["schema_version", "proxy_id", "created_at", "backend", "hitl", "limits", "log_level", "include_payloads"]);
  });

  test("writeDefaultPolicy writes the deny-all policy atomically with 0600", () => {
    const path = writeDefaultPolicy(p, "fs");
    expect(path).toBe(proxyPolicyPath(p, "fs"));
    expect(readFileSync(path, "utf8")).toBe('{\n  "version": "1",\n  "default_action": "deny",\n  "rules": []\n}\n');
    expect(mode(path)).toBe(0o600);
    expect(mode(proxyDir(p, "fs"))).toBe(0o700);
  });

  test("missing proxy: NotFound with the proxy add hint", () => {
    const e = catchConfigError(() => loadProxyConfig(p, "ghost"));
    expect(e.code).toBe(ConfigErrorCode.NotFound);
    expect(e.message).toBe(`Proxy configuration file not found at ${proxyConfigPath(p, "ghost")}.`);
    expect(e.hint).toBe("Run 'mcp-acp proxy add' to create proxy 'ghost'.");
  });

  test("bad JSON and invalid content name the file", () => {
    mkdirSync(proxyDir(p, "fs"), { recursive: true });
    const path = proxyConfigPath(p, "fs");
    writeFileSync(path, "{");
    const bad = catchConfigError(() => loadProxyConfig(p, "fs"));
    expect(bad.code).toBe(ConfigErrorCode.InvalidJson);
    expect(bad.message).toStartWith(`Invalid JSON in proxy configuration file ${path}: `);
    expect(bad.hint).toContain("mcp-acp config edit --proxy fs");

    writeFileSync(path, JSON.stringify({ ...sampleProxy(), backend: { server_name: "x", transport: "streamablehttp", http: { url: "ftp://h" } } }));
    const invalid = catchConfigError(() => loadProxyConfig(p, "fs"));
    expect(invalid.code).toBe(ConfigErrorCode.Invalid);
    expect(invalid.message).toBe(`Invalid proxy configuration in ${path}:\n  - backend.http.url: must start with http:// or https://`);
    expect(invalid.hint).toContain("mcp-acp config edit --proxy fs");
  });

  test("names are validated before any path is built", () => {
    for (const fn of [() => loadProxyConfig(p, "../x"), () => writeProxyConfig(p, "a/b", sampleProxy()), () => writeDefaultPolicy(p, "all")]) {
      expect(catchConfigError(fn).code).toBe(ConfigErrorCode.InvalidName);
    }
    expect(() => statSync(p.configDir)).toThrow();
  });

  test("listProxyNames: sorted directories, dot-dirs and files ignored", () => {
    expect(listProxyNames(p)).toEqual([]);
    for (const name of ["zeta", "Alpha", "beta"]) writeDefaultPolicy(p, name);
    mkdirSync(join(proxiesDir(p), ".trash"));
    writeFileSync(join(proxiesDir(p), "stray.json"), "{}");
    expect(listProxyNames(p)).toEqual(["Alpha", "beta", "zeta"]);
  });

  test("assertNewProxyName: exact and case-insensitive clashes", () => {
    writeDefaultPolicy(p, "fs");
    expect(() => assertNewProxyName(p, "other")).not.toThrow();
    const exact = catchConfigError(() => assertNewProxyName(p, "fs"));
    expect(exact.code).toBe(ConfigErrorCode.ProxyExists);
    expect(exact.message).toBe("Proxy 'fs' already exists.");
    const folded = catchConfigError(() => assertNewProxyName(p, "FS"));
    expect(folded.code).toBe(ConfigErrorCode.ProxyExists);
    expect(folded.message).toBe("Proxy 'FS' clashes with existing proxy 'fs' (names are compared ignoring case).");
    expect(catchConfigError(() => assertNewProxyName(p, "_x")).code).toBe(ConfigErrorCode.InvalidName);
  });
});
