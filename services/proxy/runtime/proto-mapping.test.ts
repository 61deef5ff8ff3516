import { describe, expect, test } from "bun:test";
import { timestampMs } from "@bufbuild/protobuf/wkt";
import { DEFAULT_LIMITS, type ProxyConfig } from "../../../lib/config/index.ts";
import { LogLevel, TimeoutAction } from "../../../lib/gen/mcpacp/common/v1/config_pb.ts";
import { BackendTransport } from "../../../lib/gen/mcpacp/common/v1/proxy_pb.ts";
import { PolicyReloadStatus } from "../../../lib/gen/mcpacp/common/v1/runtime_pb.ts";
import { policyReloadMessage, proxyConfigMessage } from "./proto-mapping.ts";

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

describe("policyReloadMessage", () => {
  test("success and unchanged are SUCCESS without an error", () => {
    for (const status of ["success", "unchanged"] as const) {
      const m = policyReloadMessage({ status, trigger: "rpc", oldRulesCount: 1, newRulesCount: 2, policyVersion: "v" });
      expect(m).toMatchObject({ status: PolicyReloadStatus.SUCCESS, oldRulesCount: 1, newRulesCount: 2, policyVersion: "v" });
      expect(m.error).toBeUndefined();
    }
  });

  test("a failure carries its error type and message", () => {
    const m = policyReloadMessage({
      status: "file_error",
      trigger: "sighup",
      oldRulesCount: 3,
      newRulesCount: 3,
      policyVersion: "old",
      error: "Policy file /p not found.",
      errorType: "file_not_found",
    });
    expect(m.status).toBe(PolicyReloadStatus.FILE_ERROR);
    expect(m.error).toMatchObject({ code: "FILE_NOT_FOUND", message: "Policy file /p not found.", details: { trigger: "sighup" } });
  });
});
