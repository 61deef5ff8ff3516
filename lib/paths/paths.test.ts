import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, statSync, writeFileSync, chmodSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  apiSocketPath,
  collapseHome,
  controlSocketPath,
  defaultLogDirSetting,
  ensurePrivateDir,
  expandHome,
  logRoot,
  managerConfigPath,
  managerSocketPath,
  MAX_SOCKET_PATH_BYTES,
  proxiesDir,
  proxyConfigPath,
  proxyDir,
  proxyLogDir,
  proxyPolicyPath,
  resolveAppPaths,
  type AppPaths,
} from "./index.ts";

const scratch = mkdtempSync(join(tmpdir(), "mcp-acp-paths-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("resolveAppPaths with MCP_ACP_HOME", () => {
  test("puts config, logs and run under the one folder on every platform", () => {
    for (const platform of ["linux", "darwin"] as const) {
      const p = resolveAppPaths({ MCP_ACP_HOME: "/x", HOME: "/home/u", XDG_CONFIG_HOME: "/cfg" }, platform);
      expect(p).toEqual({ configDir: "/x/config", defaultLogBase: "/x/logs", runtimeDir: "/x/run", home: "/x" });
    }
  });

  test("expands ~ and normalises trailing slashes", () => {
    const p = resolveAppPaths({ MCP_ACP_HOME: "~/acp/", HOME: "/home/u" }, "linux");
    expect(p.home).toBe("/home/u/acp");
    expect(p.configDir).toBe("/home/u/acp/config");
  });

  test("a relative value is resolved against the working directory", () => {
    const p = resolveAppPaths({ MCP_ACP_HOME: "rel", HOME: "/home/u" }, "linux");
    expect(p.home).toBe(join(process.cwd(), "rel"));
  });

  test("an empty value is ignored", () => {
    const p = resolveAppPaths({ MCP_ACP_HOME: "", HOME: "/home/u", XDG_RUNTIME_DIR: "/run/user/1" }, "linux");
    expect(p.home).toBeNull();
    expect(p.configDir).toBe("/home/u/.config/mcp-acp");
  });
});

describe("resolveAppPaths on linux", () => {
  test("defaults without XDG variables", () => {
    const p = resolveAppPaths({ HOME: "/home/u" }, "linux");
    expect(p).toEqual({
      configDir: "/home/u/.config/mcp-acp",
      defaultLogBase: "/home/u/.local/state",
      runtimeDir: `/tmp/mcp-acp-${process.getuid?.()}`,
      home: null,
    });
  });

  test("honours XDG_CONFIG_HOME, XDG_STATE_HOME and XDG_RUNTIME_DIR", () => {
    const p = resolveAppPaths(
      { HOME: "/home/u", XDG_CONFIG_HOME: "/c", XDG_STATE_HOME: "/s", XDG_RUNTIME_DIR: "/run/user/1000" },
      "linux",
    );
    expect(p).toEqual({ configDir: "/c/mcp-acp", defaultLogBase: "/s", runtimeDir: "/run/user/1000/mcp-acp", home: null });
  });

  test("relative XDG values are ignored, as the XDG spec requires", () => {
    const p = resolveAppPaths({ HOME: "/home/u", XDG_CONFIG_HOME: "cfg", XDG_STATE_HOME: "st", XDG_RUNTIME_DIR: "r" }, "linux");
    expect(p.configDir).toBe("/home/u/.config/mcp-acp");
    expect(p.defaultLogBase).toBe("/home/u/.local/state");
    expect(p.runtimeDir).toBe(`/tmp/mcp-acp-${process.getuid?.()}`);
  });

  test("runtime fallback uses TMPDIR when set", () => {
    const p = resolveAppPaths({ HOME: "/home/u", TMPDIR: "/var/tmp" }, "linux");
    expect(p.runtimeDir).toBe(`/var/tmp/mcp-acp-${process.getuid?.()}`);
  });
});

describe("resolveAppPaths on darwin", () => {
  test("uses the Library folders and ignores XDG variables", () => {
    const p = resolveAppPaths({ HOME: "/Users/u", XDG_CONFIG_HOME: "/c", XDG_RUNTIME_DIR: "/r" }, "darwin");
    expect(p).toEqual({
      configDir: "/Users/u/Library/Application Support/mcp-acp",
      defaultLogBase: "/Users/u/Library/Logs",
      runtimeDir: "/Users/u/Library/Caches/TemporaryItems/mcp-acp",
      home: null,
    });
  });
});

describe("resolveAppPaths on win32", () => {
  test("uses APPDATA and LOCALAPPDATA", () => {
    const p = resolveAppPaths({ USERPROFILE: "C:\\Users\\u", APPDATA: "C:\\Users\\u\\AppData\\Roaming", LOCALAPPDATA: "D:\\L" }, "win32");
    expect(p.configDir).toBe("C:\\Users\\u\\AppData\\Roaming\\mcp-acp");
    expect(p.defaultLogBase).toBe("D:\\L");
    expect(p.runtimeDir).toBe("D:\\L\\mcp-acp\\run");
  });
});

describe("home helpers", () => {
  const env = { HOME: "/home/u" };
  test("expandHome", () => {
    expect(expandHome("~", env)).toBe("/home/u");
    expect(expandHome("~/x/y", env)).toBe("/home/u/x/y");
    expect(expandHome("~/x", { HOME: "/home/u/" })).toBe("/home/u/x");
    expect(expandHome("/abs/~/x", env)).toBe("/abs/~/x");
    expect(expandHome("~other/x", env)).toBe("~other/x");
    expect(expandHome("rel", env)).toBe("rel");
  });

  test("collapseHome is the inverse for paths under HOME only", () => {
    expect(collapseHome("/home/u/.local/state", env)).toBe("~/.local/state");
    expect(collapseHome("/home/u", env)).toBe("~");
    expect(collapseHome("/home/user2/x", env)).toBe("/home/user2/x");
    expect(collapseHome("/tmp/x", env)).toBe("/tmp/x");
  });

  test("defaultLogDirSetting stores the log base with ~ when under HOME", () => {
    const env2 = { HOME: "/home/u" };
    expect(defaultLogDirSetting(resolveAppPaths(env2, "linux"), env2, "linux")).toBe("~/.local/state");
    const env3 = { HOME: "/home/u", MCP_ACP_HOME: "/x" };
    expect(defaultLogDirSetting(resolveAppPaths(env3, "linux"), env3, "linux")).toBe("/x/logs");
  });
});

describe("layout", () => {
  const p: AppPaths = { configDir: "/c", defaultLogBase: "/l", runtimeDir: "/r", home: null };
  test("config files", () => {
    expect(managerConfigPath(p)).toBe("/c/manager.json");
    expect(proxiesDir(p)).toBe("/c/proxies");
    expect(proxyDir(p, "fs")).toBe("/c/proxies/fs");
    expect(proxyConfigPath(p, "fs")).toBe("/c/proxies/fs/config.json");
    expect(proxyPolicyPath(p, "fs")).toBe("/c/proxies/fs/policy.json");
  });

  test("log dirs expand ~ in log_dir", () => {
    const home = process.env.HOME ?? "";
    expect(logRoot("/var/log")).toBe("/var/log/mcp-acp");
    expect(proxyLogDir("/var/log", "fs")).toBe("/var/log/mcp-acp/proxies/fs");
    expect(logRoot("~/logs")).toBe(join(home, "logs", "mcp-acp"));
  });

  test("sockets", () => {
    expect(controlSocketPath(p, "fs")).toBe("/r/proxy_fs.sock");
    expect(managerSocketPath(p)).toBe("/r/manager.sock");
    expect(apiSocketPath(p)).toBe("/r/api.sock");
  });

  test("a control socket path that would overflow sun_path uses a hashed name", () => {
    const deep: AppPaths = { ...p, runtimeDir: "/Users/somebody/Library/Caches/TemporaryItems/mcp-acp" };
    const name = "a".repeat(64);
    const path = controlSocketPath(deep, name);
    expect(path).toMatch(/^\/Users\/somebody\/Library\/Caches\/TemporaryItems\/mcp-acp\/proxy_[0-9a-f]{16}\.sock$/);
    expect(Buffer.byteLength(path)).toBeLessThanOrEqual(MAX_SOCKET_PATH_BYTES);
    // Stable (proxy and CLI compute it independently) and distinct per name.
    expect(controlSocketPath(deep, name)).toBe(path);
    expect(controlSocketPath(deep, "b".repeat(64))).not.toBe(path);
    // Short names in the same dir keep the readable form.
    expect(controlSocketPath(deep, "fs")).toBe(`${deep.runtimeDir}/proxy_fs.sock`);
  });

  test("the limit is counted in bytes, not characters", () => {
    const dir = "/r/" + "é".repeat(40); // 80 bytes, 40 characters
    const path = controlSocketPath({ ...p, runtimeDir: dir }, "abcdefgh");
    expect(path).toMatch(/proxy_[0-9a-f]{16}\.sock$/);
  });
});

describe("ensurePrivateDir", () => {
  test("creates nested directories with mode 0700", () => {
    const dir = join(scratch, "a", "b", "c");
    ensurePrivateDir(dir);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  test("tightens an existing directory", () => {
    const dir = join(scratch, "wide");
    mkdirSync(dir);
    chmodSync(dir, 0o755);
    ensurePrivateDir(dir);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  test("fails with the path when a file is in the way", () => {
    const file = join(scratch, "file");
    writeFileSync(file, "x");
    expect(() => ensurePrivateDir(file)).toThrow(file);
  });
});
