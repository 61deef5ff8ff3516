import { describe, expect, test } from "bun:test";
import { resolveAppPaths } from "../paths/index.ts";
import { ConfigError, ConfigErrorCode, type ConfigIssue } from "./errors.ts";
import { defaultManagerConfig, parseManagerConfig } from "./manager-schema.ts";

const FILE = "/cfg/manager.json";
const OIDC = { issuer: "https://id.example.com/", client_id: "cid", audience: "https://api" };

function issuesOf(raw: unknown): ConfigIssue[] {
  try {
    parseManagerConfig(raw, FILE, "/logs");
  } catch (error) {
    if (error instanceof ConfigError && error.code === ConfigErrorCode.Invalid) return error.issues;
    throw error;
  }
  throw new Error("expected the config to be rejected");
}

function expectOnly(raw: unknown, loc: string, msg: string): void {
  expect(issuesOf(raw)).toEqual([{ loc, msg }]);
}

describe("defaults", () => {
  test("an empty object gets every default", () => {
    expect(parseManagerConfig({}, FILE, "~/.local/state")).toEqual({
      schema_version: 1,
      ui_port: 8765,
      log_dir: "~/.local/state",
      auth: { mode: "local" },
    });
  });

  test("oidc scopes default to the standard four", () => {
    const c = parseManagerConfig({ auth: { mode: "oidc", oidc: OIDC } }, FILE, "/l");
    expect(c.auth).toEqual({ mode: "oidc", oidc: { ...OIDC, scopes: ["openid", "profile", "email", "offline_access"] } });
  });

  test("defaultManagerConfig uses the log base, with ~ when under HOME", () => {
    const env = { HOME: "/home/u" };
    expect(defaultManagerConfig(resolveAppPaths(env, "linux"), env)).toEqual({
      schema_version: 1,
      ui_port: 8765,
      log_dir: "~/.local/state",
      auth: { mode: "local" },
    });
    const env2 = { HOME: "/home/u", MCP_ACP_HOME: "/x" };
    expect(defaultManagerConfig(resolveAppPaths(env2, "linux"), env2).log_dir).toBe("/x/logs");
  });
});

describe("rules", () => {
  test("the document must be an object", () => {
    for (const raw of [null, [1], "x"]) expectOnly(raw, "(root)", "must be a JSON object");
  });

  test("ui_port", () => {
    for (const bad of [1023, 65536, 8765.5, "8765", null]) expectOnly({ ui_port: bad }, "ui_port", "must be an integer between 1024 and 65535");
    expect(parseManagerConfig({ ui_port: 1024 }, FILE, "/l").ui_port).toBe(1024);
    expect(parseManagerConfig({ ui_port: 65535 }, FILE, "/l").ui_port).toBe(65535);
  });

  test("log_dir", () => {
    expectOnly({ log_dir: "" }, "log_dir", "must not be empty");
    expectOnly({ log_dir: 5 }, "log_dir", "must be a string");
    expect(parseManagerConfig({ log_dir: "~/logs" }, FILE, "/l").log_dir).toBe("~/logs");
  });

  test("auth.mode", () => {
    expectOnly({ auth: {} }, "auth.mode", "is required (one of: local, oidc)");
    expectOnly({ auth: { mode: "ldap" } }, "auth.mode", "must be one of: local, oidc");
    expectOnly({ auth: null }, "auth", "must be an object");
    expectOnly({ auth: { mode: "local", oidc: OIDC } }, "auth.oidc", "only allowed when auth.mode is 'oidc'");
  });

  test("oidc fields", () => {
    const oidc = (o: unknown) => ({ auth: { mode: "oidc", oidc: o } });
    expectOnly({ auth: { mode: "oidc" } }, "auth.oidc", "is required");
    expectOnly(oidc({ ...OIDC, client_id: "" }), "auth.oidc.client_id", "must not be empty");
    expectOnly(oidc({ ...OIDC, audience: " " }), "auth.oidc.audience", "must not be empty");
    expectOnly(oidc({ ...OIDC, issuer: "" }), "auth.oidc.issuer", "must not be empty");
    const { client_id: _, ...noClient } = OIDC;
    expectOnly(oidc(noClient), "auth.oidc.client_id", "is required");
    expectOnly(oidc({ ...OIDC, scopes: "openid" }), "auth.oidc.scopes", "must be an array of strings");
    expectOnly(oidc({ ...OIDC, scopes: ["openid", ""] }), "auth.oidc.scopes.1", "must not be empty");
  });

  test("issuer must be https, except http on localhost and 127.0.0.1", () => {
    const oidc = (issuer: string) => ({ auth: { mode: "oidc", oidc: { ...OIDC, issuer } } });
    const msg = "must start with https:// (http:// is accepted only for localhost and 127.0.0.1)";
    expectOnly(oidc("http://id.example.com"), "auth.oidc.issuer", msg);
    expectOnly(oidc("http://localhost.evil.com"), "auth.oidc.issuer", msg);
    expectOnly(oidc("ftp://localhost"), "auth.oidc.issuer", msg);
    expectOnly(oidc("id.example.com"), "auth.oidc.issuer", "must be a valid https:// URL with a host");
    for (const ok of ["https://id.example.com", "http://localhost:4000/", "http://127.0.0.1:9999/oidc"]) {
      expect(() => parseManagerConfig(oidc(ok), FILE, "/l")).not.toThrow();
    }
  });

  test("schema_version", () => {
    expectOnly({ schema_version: 3 }, "schema_version", "version 3 is newer than this mcp-acp understands (1); upgrade mcp-acp");
    expectOnly({ schema_version: 0 }, "schema_version", "must be 1");
  });
});

describe("unknown keys and several errors", () => {
  test("unknown keys are named with their location", () => {
    expect(issuesOf({ ui_prot: 1, auth: { mode: "oidc", extra: 1, oidc: { ...OIDC, client_secret: "s" } } })).toEqual([
      { loc: "ui_prot", msg: "unknown key" },
      { loc: "auth.extra", msg: "unknown key" },
      { loc: "auth.oidc.client_secret", msg: "unknown key" },
    ]);
  });

  test("every problem is reported in one message", () => {
    let error: unknown;
    try {
      parseManagerConfig({ ui_port: 1, log_dir: "", auth: { mode: "oidc", oidc: { issuer: "http://x.com", client_id: "", audience: "a" } }, x: 1 }, FILE);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const e = error as ConfigError;
    expect(e.message).toBe(
      [
        `Invalid manager configuration in ${FILE}:`,
        "  - x: unknown key",
        "  - ui_port: must be an integer between 1024 and 65535",
        "  - log_dir: must not be empty",
        "  - auth.oidc.issuer: must start with https:// (http:// is accepted only for localhost and 127.0.0.1)",
        "  - auth.oidc.client_id: must not be empty",
      ].join("\n"),
    );
    expect(e.path).toBe(FILE);
    expect(e.hint).toContain("mcp-acp init --force");
  });
});
