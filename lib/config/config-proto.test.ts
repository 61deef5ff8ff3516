import { describe, expect, test } from "bun:test";
import { timestampMs } from "@bufbuild/protobuf/wkt";
import { create } from "@bufbuild/protobuf";
import { LogLevel, ProxyConfigSchema, TimeoutAction } from "../gen/mcpacp/common/v1/config_pb.ts";
import { BackendTransport, IdentityMode } from "../gen/mcpacp/common/v1/proxy_pb.ts";
import { proxyConfigDocument } from "./config-proto-document.ts";
import { backendTransportOf, managerConfigMessage, proxyConfigMessage, transportName } from "./config-proto.ts";
import { DEFAULT_LIMITS, parseProxyConfig, type ProxyConfig } from "./proxy-schema.ts";
import type { ManagerConfig } from "./manager-schema.ts";

const MANAGER: ManagerConfig = { schema_version: 1, ui_port: 8765, log_dir: "/var/log/acp", auth: { mode: "local" } };

const msOf = (t: Parameters<typeof timestampMs>[0] | undefined): number => (t === undefined ? Number.NaN : timestampMs(t));

const CONFIG: ProxyConfig = {
  schema_version: 1,
  proxy_id: "px_1a2b3c4d:files",
  created_at: "2025-01-31T12:00:00Z",
  backend: {
    server_name: "Files",
    transport: "auto",
    stdio: { command: "npx", args: ["-y", "pkg"], attestation: { expected_sha256: "a".repeat(64), require_signature: false } },
    http: { url: "https://mcp.example/mcp", timeout: 30, credential_key: null },
  },
  hitl: { timeout_seconds: 60, default_on_timeout: "deny", approval_ttl_seconds: 600 },
  limits: { ...DEFAULT_LIMITS },
  mtls: { client_cert_path: "~/c.pem", client_key_path: "~/k.pem", ca_bundle_path: "/ca.pem" },
  log_level: "DEBUG",
  include_payloads: false,
};

describe("proxyConfigMessage", () => {
  test("every field of config.json lands in the proto model", () => {
    const m = proxyConfigMessage(CONFIG);
    expect(m.proxyId).toBe("px_1a2b3c4d:files");
    expect(msOf(m.createdAt)).toBe(Date.parse("2025-01-31T12:00:00Z"));
    expect(m.backend?.transport).toBe(BackendTransport.AUTO);
    expect(m.backend?.stdio).toMatchObject({ command: "npx", args: ["-y", "pkg"], attestation: { expectedSha256: "a".repeat(64), slsaOwner: "" } });
    expect(m.backend?.http).toMatchObject({ url: "https://mcp.example/mcp", timeout: 30, credentialKey: "" });
    expect(m.limits).toMatchObject({ requestsPerSecond: 10, burst: 50, toolCallsPerWindow: 30, toolWindowSeconds: 60 });
    expect(m.hitl).toMatchObject({ timeoutSeconds: 60, defaultOnTimeout: TimeoutAction.DENY, approvalTtlSeconds: 600 });
    expect(m.mtls).toMatchObject({ clientCertPath: "~/c.pem", clientKeyPath: "~/k.pem", caBundlePath: "/ca.pem" });
    expect(m.logLevel).toBe(LogLevel.DEBUG);
    expect(m.includePayloads).toBe(false);
  });

  test("absent sections stay unset", () => {
    const m = proxyConfigMessage({ ...CONFIG, backend: { server_name: "s", transport: "stdio", stdio: { command: "x", args: [] } }, mtls: null });
    expect(m.backend?.http).toBeUndefined();
    expect(m.backend?.stdio?.attestation).toBeUndefined();
    expect(m.mtls).toBeUndefined();
  });
});

describe("transports", () => {
  test("each file spelling maps to its enum and back; UNSPECIFIED has none", () => {
    for (const t of ["stdio", "streamablehttp", "auto"] as const) expect(transportName(backendTransportOf(t))).toBe(t);
    expect(transportName(BackendTransport.UNSPECIFIED)).toBeUndefined();
  });

  test("an unparseable created_at stays unset", () => {
    expect(proxyConfigMessage({ ...CONFIG, created_at: "yesterday" }).createdAt).toBeUndefined();
  });
});

describe("managerConfigMessage", () => {
  test("local mode has no OIDC block; oidc mode carries its settings", () => {
    const local = managerConfigMessage(MANAGER);
    expect(local.identityMode).toBe(IdentityMode.LOCAL);
    expect(local.oidc).toBeUndefined();
    const oidc = managerConfigMessage({
      ...MANAGER,
      auth: { mode: "oidc", oidc: { issuer: "https://idp.example", client_id: "cli", audience: "aud", scopes: ["openid"] } },
    });
    expect(oidc.identityMode).toBe(IdentityMode.OIDC);
    expect(oidc.oidc).toMatchObject({ issuer: "https://idp.example", clientId: "cli", audience: "aud", scopes: ["openid"] });
  });
});

describe("proxyConfigDocument", () => {
  test("a message made from a config maps back to a document the schema accepts as the same config", () => {
    const { document, unmappable } = proxyConfigDocument(proxyConfigMessage(CONFIG));
    expect(unmappable).toEqual([]);
    const back = parseProxyConfig({ schema_version: 1, proxy_id: CONFIG.proxy_id, created_at: CONFIG.created_at, ...document }, "/x/config.json");
    // The API key's entry name is never taken from a request (UpdateConfig keeps the file's).
    expect(back.backend).toEqual({ ...CONFIG.backend, http: { url: "https://mcp.example/mcp", timeout: 30 } });
    expect(back.hitl).toEqual(CONFIG.hitl);
    expect(back.mtls).toEqual(CONFIG.mtls);
    expect(back.log_level).toBe("DEBUG");
  });

  test("UNSPECIFIED enums are reported as unmappable, zeros are left for the defaults", () => {
    const { document, unmappable } = proxyConfigDocument(
      create(ProxyConfigSchema, { backend: { serverName: "s", stdio: { command: "x" } }, hitl: { timeoutSeconds: 0, approvalTtlSeconds: 30 } }),
    );
    expect(unmappable.map((u) => u.field)).toEqual(["backend.transport", "log_level"]);
    expect(document.hitl).toEqual({ default_on_timeout: "deny", approval_ttl_seconds: 30 });
    expect(document.mtls).toBeNull();
  });
});
