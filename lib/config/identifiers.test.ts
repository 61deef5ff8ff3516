import { describe, expect, test } from "bun:test";
import { ConfigError, ConfigErrorCode } from "./errors.ts";
import {
  PROXY_ID_PATTERN,
  findProxyNameClash,
  generateInstanceId,
  generateProxyId,
  sanitizeServerName,
  validateProxyName,
} from "./identifiers.ts";

function nameError(name: string): ConfigError {
  try {
    validateProxyName(name);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`expected '${name}' to be rejected`);
}

describe("validateProxyName", () => {
  test("accepts valid names", () => {
    for (const name of ["a", "a-b_c1", "A", "9lives", "x".repeat(64), "Managers", "all-of-it"]) {
      expect(() => validateProxyName(name)).not.toThrow();
    }
  });

  test("each rule has its own message", () => {
    const cases: Array<[string, string]> = [
      ["_x", "Invalid proxy name '_x': cannot start with '_' or '.'"],
      [".x", "Invalid proxy name '.x': cannot start with '_' or '.'"],
      ["x".repeat(65), `Invalid proxy name '${"x".repeat(65)}': too long (max 64 characters)`],
      ["Manager", "Invalid proxy name 'Manager': is a reserved name"],
      ["ALL", "Invalid proxy name 'ALL': is a reserved name"],
      ["default", "Invalid proxy name 'default': is a reserved name"],
      ["a.b", "Invalid proxy name 'a.b': only letters, digits, '-' and '_' are allowed"],
      ["-a", "Invalid proxy name '-a': only letters, digits, '-' and '_' are allowed"],
      ["../etc", "Invalid proxy name '../etc': cannot start with '_' or '.'"],
      ["a/b", "Invalid proxy name 'a/b': only letters, digits, '-' and '_' are allowed"],
      ["fs ", "Invalid proxy name 'fs ': only letters, digits, '-' and '_' are allowed"],
      ["", "Invalid proxy name '': must not be empty"],
    ];
    for (const [name, message] of cases) {
      const error = nameError(name);
      expect(error.code).toBe(ConfigErrorCode.InvalidName);
      expect(error.message).toBe(message);
      expect(error.hint).toContain("1-64");
    }
  });
});

describe("findProxyNameClash", () => {
  test("finds an existing name ignoring case", () => {
    expect(findProxyNameClash("FS", ["alpha", "fs"])).toBe("fs");
    expect(findProxyNameClash("fs", ["fs"])).toBe("fs");
    expect(findProxyNameClash("fs2", ["fs", "FS-2"])).toBeUndefined();
    expect(findProxyNameClash("x", [])).toBeUndefined();
  });
});

describe("sanitizeServerName", () => {
  test("spec examples and edge cases", () => {
    expect(sanitizeServerName("Filesystem Server")).toBe("filesystem-server");
    expect(sanitizeServerName("!!!")).toBe("backend");
    expect(sanitizeServerName("")).toBe("backend");
    expect(sanitizeServerName("  My  --  Server_v2! ")).toBe("my-serverv2");
    expect(sanitizeServerName("-a-")).toBe("a");
    expect(sanitizeServerName("Café Ünïcode")).toBe("caf-ncode");
  });
});

describe("proxy and instance ids", () => {
  test("generateProxyId matches the pattern and uses the sanitized name", () => {
    const id = generateProxyId("Filesystem Server");
    expect(id).toMatch(PROXY_ID_PATTERN);
    expect(id.endsWith(":filesystem-server")).toBe(true);
    expect(generateProxyId("!!!")).toMatch(/^px_[a-f0-9]{8}:backend$/);
  });

  test("ids are random", () => {
    const ids = new Set(Array.from({ length: 20 }, () => generateProxyId("x")));
    expect(ids.size).toBe(20);
  });

  test("PROXY_ID_PATTERN rejects malformed ids", () => {
    for (const bad of ["px_1234567:fs", "px_1234567G:fs", "px_12345678:FS", "px_12345678:", "xx_12345678:fs", "px_12345678:fs_x"]) {
      expect(PROXY_ID_PATTERN.test(bad)).toBe(false);
    }
  });

  test("instance id reuses the 8 hex of the proxy id", () => {
    const proxyId = generateProxyId("fs");
    const hex = proxyId.slice(3, 11);
    const a = generateInstanceId(proxyId);
    const b = generateInstanceId(proxyId);
    expect(a).toMatch(new RegExp(`^${hex}_[0-9a-f]{8}$`));
    expect(b.startsWith(`${hex}_`)).toBe(true);
    expect(a).not.toBe(b);
  });

  test("instance id from a malformed proxy id is an Invalid error", () => {
    expect(() => generateInstanceId("nope")).toThrow("Invalid proxy_id 'nope'");
  });
});
