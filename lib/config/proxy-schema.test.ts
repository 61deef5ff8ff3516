import { describe, expect, test } from "bun:test";
import { ConfigError, ConfigErrorCode, type ConfigIssue } from "./errors.ts";
import { DEFAULT_LIMITS, parseProxyConfig, type ProxyConfig } from "./proxy-schema.ts";

const FILE = "/cfg/proxies/fs/config.json";
const SHA = "a".repeat(64);

type Raw = Record<string, unknown>;

function minimal(backend: Raw = { server_name: "fs", transport: "stdio", stdio: { command: "npx" } }): Raw {
  return { proxy_id: "px_1a2b3c4d:fs", created_at: "2025-01-31T12:00:00Z", backend };
}

function issuesOf(raw: unknown): ConfigIssue[] {
  try {
    parseProxyConfig(raw, FILE);
  } catch (error) {
    if (error instanceof ConfigError && error.code === ConfigErrorCode.Invalid) return error.issues;
    throw error;
  }
  throw new Error("expected the config to be rejected");
}

/** Asserts that exactly this one problem is reported. */
function expectOnly(raw: unknown, loc: string, msg: string): void {
  expect(issuesOf(raw)).toEqual([{ loc, msg }]);
}

function withBackend(extra: Raw): Raw {
  return minimal({ server_name: "fs", transport: "stdio", stdio: { command: "npx" }, ...extra });
}

describe("defaults", () => {
  test("absent keys are filled in", () => {
    const c = parseProxyConfig(minimal({ server_name: "fs", stdio: { command: "npx" }, http: { url: "https://x.test/mcp" } }), FILE);
    expect(c).toEqual({
      schema_version: 1,
      proxy_id: "px_1a2b3c4d:fs",
      created_at: "2025-01-31T12:00:00Z",
      backend: {
        server_name: "fs",
        transport: "auto",
        stdio: { command: "npx", args: [] },
        http: { url: "https://x.test/mcp", timeout: 30 },
      },
      hitl: { timeout_seconds: 60, default_on_timeout: "deny", approval_ttl_seconds: 600 },
      limits: { requests_per_second: 10, burst: 50, tool_calls_per_window: 30, tool_window_seconds: 60 },
      log_level: "INFO",
      include_payloads: true,
    });
  });

  test("attestation require_signature defaults to false; nulls are kept as null", () => {
    const c = parseProxyConfig(
      { ...withBackend({ stdio: { command: "x", args: ["-y"], attestation: { expected_sha256: SHA } }, http: { url: "http://h", credential_key: null } }), mtls: null },
      FILE,
    );
    expect(c.backend.stdio?.attestation).toEqual({ expected_sha256: SHA, require_signature: false });
    expect(c.backend.http?.credential_key).toBeNull();
    expect(c.mtls).toBeNull();
  });

  test("a full valid config passes unchanged", () => {
    const full: unknown = {
      schema_version: 1,
      proxy_id: "px_00ff00ff:my-server",
      created_at: "2025-01-31T12:00:00.123Z",
      backend: {
        server_name: "My Server",
        transport: "streamablehttp",
        stdio: { command: "/usr/bin/srv", args: ["--x", ""], attestation: { slsa_owner: "org", expected_sha256: SHA, require_signature: true } },
        http: { url: "HTTPS://example.com:8443/mcp", timeout: 300, credential_key: "proxy:fs:backend" },
      },
      hitl: { timeout_seconds: 5, default_on_timeout: "deny", approval_ttl_seconds: 900 },
      limits: { requests_per_second: 100000, burst: 1, tool_calls_per_window: 1000000, tool_window_seconds: 1 },
      mtls: { client_cert_path: "~/c.pem", client_key_path: "~/k.pem", ca_bundle_path: "/ca.pem" },
      log_level: "DEBUG",
      include_payloads: false,
    };
    expect(parseProxyConfig(structuredClone(full), FILE)).toEqual(full as ProxyConfig);
  });
});

describe("each rule of spec §2.2", () => {
  test("the document must be an object", () => {
    for (const raw of [null, [], "x", 3]) expectOnly(raw, "(root)", "must be a JSON object");
  });

  test("proxy_id", () => {
    expectOnly({ ...minimal(), proxy_id: "px_1a2b3c4:fs" }, "proxy_id", "must look like px_<8 lower-case hex>:<lower-case name>, e.g. px_1a2b3c4d:filesystem");
    expectOnly({ ...minimal(), proxy_id: 5 }, "proxy_id", "must be a string");
    const { proxy_id: _, ...rest } = minimal();
    expectOnly(rest, "proxy_id", "is required");
  });

  test("created_at", () => {
    const msg = "must be a UTC ISO-8601 timestamp ending in 'Z', e.g. 2025-01-31T12:00:00Z";
    for (const bad of ["2025-01-31", "2025-01-31T12:00:00+01:00", "2025-13-45T99:00:00Z", "yesterday"]) {
      expectOnly({ ...minimal(), created_at: bad }, "created_at", msg);
    }
    expectOnly({ ...minimal(), created_at: 0 }, "created_at", "must be a string");
  });

  test("backend and server_name", () => {
    const { backend: _, ...rest } = minimal();
    expectOnly(rest, "backend", "is required");
    expectOnly({ ...minimal(), backend: "stdio" }, "backend", "must be an object");
    expectOnly(withBackend({ server_name: "" }), "backend.server_name", "must not be empty");
    expectOnly(withBackend({ server_name: "   " }), "backend.server_name", "must not be empty");
  });

  test("transport enum and required sections", () => {
    expectOnly(withBackend({ transport: "http" }), "backend.transport", "must be one of: stdio, streamablehttp, auto");
    expectOnly(minimal({ server_name: "fs", transport: "stdio", http: { url: "http://h" } }), "backend.stdio", "is required when transport is 'stdio'");
    expectOnly(minimal({ server_name: "fs", transport: "streamablehttp", stdio: { command: "x" } }), "backend.http", "is required when transport is 'streamablehttp'");
    expectOnly(minimal({ server_name: "fs", transport: "auto" }), "backend", "transport 'auto' needs backend.stdio or backend.http (or both)");
    expectOnly(minimal({ server_name: "fs", stdio: null, http: null }), "backend", "transport 'auto' needs backend.stdio or backend.http (or both)");
    expect(parseProxyConfig(minimal({ server_name: "fs", http: { url: "http://h" } }), FILE).backend.transport).toBe("auto");
  });

  test("stdio", () => {
    expectOnly(withBackend({ stdio: {} }), "backend.stdio.command", "is required");
    expectOnly(withBackend({ stdio: { command: "" } }), "backend.stdio.command", "must not be empty");
    expectOnly(withBackend({ stdio: { command: "x", args: "a b" } }), "backend.stdio.args", "must be an array of strings");
    expectOnly(withBackend({ stdio: { command: "x", args: ["a", 2] } }), "backend.stdio.args.1", "must be a string");
    expectOnly(withBackend({ stdio: [] }), "backend.stdio", "must be an object or null");
  });

  test("attestation", () => {
    const att = (a: unknown) => withBackend({ stdio: { command: "x", attestation: a } });
    const shaMsg = "must be 64 lower-case hex characters (a SHA-256 digest)";
    expectOnly(att({ expected_sha256: "A".repeat(64) }), "backend.stdio.attestation.expected_sha256", shaMsg);
    expectOnly(att({ expected_sha256: "a".repeat(63) }), "backend.stdio.attestation.expected_sha256", shaMsg);
    expectOnly(att({ expected_sha256: "g".repeat(64) }), "backend.stdio.attestation.expected_sha256", shaMsg);
    expectOnly(att({ require_signature: "yes" }), "backend.stdio.attestation.require_signature", "must be true or false");
    expectOnly(att({ slsa_owner: "" }), "backend.stdio.attestation.slsa_owner", "must not be empty");
    expectOnly(att("sha"), "backend.stdio.attestation", "must be an object or null");
    expect(parseProxyConfig(att(null), FILE).backend.stdio?.attestation).toBeNull();
    expect(parseProxyConfig(att({ slsa_owner: null, expected_sha256: null }), FILE).backend.stdio?.attestation).toEqual({ require_signature: false });
  });

  test("http", () => {
    const http = (h: unknown) => withBackend({ http: h });
    expectOnly(http({ url: "ftp://x" }), "backend.http.url", "must start with http:// or https://");
    expectOnly(http({ url: "example.com" }), "backend.http.url", "must start with http:// or https://");
    expectOnly(http({ url: "http://" }), "backend.http.url", "must be a valid URL with a host after the scheme");
    expectOnly(http({}), "backend.http.url", "is required");
    const timeoutMsg = "must be an integer between 1 and 300";
    for (const bad of [0, 301, 1.5, "30", true, null]) {
      expectOnly(http({ url: "http://h", timeout: bad }), "backend.http.timeout", timeoutMsg);
    }
    expectOnly(http({ url: "http://h", credential_key: "" }), "backend.http.credential_key", "must not be empty");
    expectOnly(http({ url: "http://h", credential_key: 3 }), "backend.http.credential_key", "must be a string or null");
  });

  test("limits", () => {
    const limits = (l: unknown) => ({ ...minimal(), limits: l });
    for (const bad of [0, -1, 1.5, "10", 1_000_001]) {
      expectOnly(limits({ requests_per_second: bad }), "limits.requests_per_second", "must be an integer between 1 and 1000000");
    }
    expectOnly(limits({ burst: 0 }), "limits.burst", "must be an integer between 1 and 1000000");
    expectOnly(limits({ tool_calls_per_window: 0 }), "limits.tool_calls_per_window", "must be an integer between 1 and 1000000");
    expectOnly(limits({ tool_window_seconds: 86_401 }), "limits.tool_window_seconds", "must be an integer between 1 and 86400");
    expectOnly(limits({ burst: 5, per_minute: 3 }), "limits.per_minute", "unknown key");
  });

  test("hitl", () => {
    const hitl = (h: unknown) => ({ ...minimal(), hitl: h });
    for (const bad of [4, 301, "60"]) expectOnly(hitl({ timeout_seconds: bad }), "hitl.timeout_seconds", "must be an integer between 5 and 300");
    for (const bad of [299, 901]) expectOnly(hitl({ approval_ttl_seconds: bad }), "hitl.approval_ttl_seconds", "must be an integer between 300 and 900");
    expectOnly(hitl({ default_on_timeout: "allow" }), "hitl.default_on_timeout", "must be 'deny' (the only supported value)");
    expectOnly(hitl(7), "hitl", "must be an object");
  });

  test("mtls needs all three non-empty paths", () => {
    const together = "is required (client_cert_path, client_key_path and ca_bundle_path go together)";
    expect(issuesOf({ ...minimal(), mtls: { client_cert_path: "/c" } })).toEqual([
      { loc: "mtls.client_key_path", msg: together },
      { loc: "mtls.ca_bundle_path", msg: together },
    ]);
    expect(issuesOf({ ...minimal(), mtls: {} })).toHaveLength(3);
    expectOnly({ ...minimal(), mtls: { client_cert_path: "/c", client_key_path: "", ca_bundle_path: "/a" } }, "mtls.client_key_path", "must not be empty");
    expectOnly({ ...minimal(), mtls: { client_cert_path: "/c", client_key_path: 1, ca_bundle_path: "/a" } }, "mtls.client_key_path", "must be a string");
  });

  test("log_level and include_payloads", () => {
    expectOnly({ ...minimal(), log_level: "debug" }, "log_level", "must be one of: DEBUG, INFO");
    expectOnly({ ...minimal(), log_level: "WARNING" }, "log_level", "must be one of: DEBUG, INFO");
    expectOnly({ ...minimal(), include_payloads: "true" }, "include_payloads", "must be true or false");
  });

  test("schema_version", () => {
    expectOnly({ ...minimal(), schema_version: 2 }, "schema_version", "version 2 is newer than this mcp-acp understands (1); upgrade mcp-acp");
    expectOnly({ ...minimal(), schema_version: "1" }, "schema_version", "must be 1");
    expect(parseProxyConfig({ ...minimal(), schema_version: 1 }, FILE).schema_version).toBe(1);
  });
});

describe("unknown keys", () => {
  test("are reported with their dotted location at every level", () => {
    const raw = {
      ...minimal({ server_name: "fs", transport: "stdio", stdio: { comand: "x", command: "y", attestation: { sha: 1 } }, http: { url: "http://h", timout: 3 }, extra: 1 }),
      name: "fs",
      hitl: { ttl: 1 },
      mtls: { client_cert_path: "/c", client_key_path: "/k", ca_bundle_path: "/a", passphrase: "x" },
    };
    expect(issuesOf(raw).map((i) => `${i.loc}: ${i.msg}`)).toEqual([
      "name: unknown key",
      "backend.extra: unknown key",
      "backend.stdio.comand: unknown key",
      "backend.stdio.attestation.sha: unknown key",
      "backend.http.timout: unknown key",
      "hitl.ttl: unknown key",
      "mtls.passphrase: unknown key",
    ]);
  });
});

describe("several errors at once", () => {
  test("all are reported in one message, one line each", () => {
    const raw = {
      proxy_id: "bad",
      created_at: "now",
      backend: { server_name: "", transport: "stdio", stdio: { command: "" }, http: { url: "x", timeout: 0 } },
      hitl: { timeout_seconds: 1, approval_ttl_seconds: 1 },
      log_level: "TRACE",
      include_payloads: 1,
    };
    let error: unknown;
    try {
      parseProxyConfig(raw, FILE);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const e = error as ConfigError;
    expect(e.code).toBe(ConfigErrorCode.Invalid);
    expect(e.path).toBe(FILE);
    expect(e.issues).toHaveLength(10);
    const lines = e.message.split("\n");
    expect(lines[0]).toBe(`Invalid proxy configuration in ${FILE}:`);
    expect(lines.slice(1)).toEqual(e.issues.map((i) => `  - ${i.loc}: ${i.msg}`));
    expect(e.message).toContain("  - backend.http.url: must start with http:// or https://");
    expect(e.message).toContain("  - backend.http.timeout: must be an integer between 1 and 300");
    expect(e.hint).toBeDefined();
  });
});
