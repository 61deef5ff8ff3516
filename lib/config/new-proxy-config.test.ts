import { describe, expect, test } from "bun:test";
import { buildProxyConfig, type NewProxyInputs } from "./new-proxy-config.ts";

const base: NewProxyInputs = { serverName: "My Files", transport: "stdio", stdio: { command: "/bin/fs", args: ["/data"], sha256: undefined }, http: undefined, mtls: null };

describe("buildProxyConfig", () => {
  test("defaults, a fresh proxy id from the server name, created_at from the clock", () => {
    const config = buildProxyConfig(base, "/x/config.json", new Date("2026-01-31T12:00:00Z"));
    expect(config.proxy_id).toMatch(/^px_[0-9a-f]{8}:my-files$/);
    expect(config.created_at).toBe("2026-01-31T12:00:00.000Z");
    expect(config.hitl).toEqual({ timeout_seconds: 60, default_on_timeout: "deny", approval_ttl_seconds: 600 });
    expect(config.backend.stdio?.attestation).toBeNull();
  });

  test("attestation holds whichever checks are asked for", () => {
    const sha = "a".repeat(64);
    const stdio = base.stdio;
    if (stdio === undefined) throw new Error("stdio expected");
    expect(buildProxyConfig({ ...base, stdio: { ...stdio, sha256: sha } }, "/x").backend.stdio?.attestation).toEqual({ expected_sha256: sha, require_signature: false });
    expect(buildProxyConfig({ ...base, stdio: { ...stdio, slsaOwner: "acme", requireSignature: true } }, "/x").backend.stdio?.attestation).toEqual({
      slsa_owner: "acme",
      require_signature: true,
    });
  });
});
