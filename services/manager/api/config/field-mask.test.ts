import { describe, expect, test } from "bun:test";
import { buildProxyConfig, type ProxyConfig } from "../../../../lib/config/index.ts";
import { applyConfigMask, normalizeMaskPath } from "./field-mask.ts";

function current(): ProxyConfig {
  const config = buildProxyConfig(
    { serverName: "S", transport: "auto", stdio: { command: "/bin/s", args: ["a"], sha256: undefined }, http: { url: "https://x/mcp", timeout: 30 }, mtls: null },
    "/tmp/config.json",
  );
  if (config.backend.http !== undefined) config.backend.http.credential_key = "proxy:s";
  return config;
}

describe("applyConfigMask", () => {
  test("a leaf replaces only itself", () => {
    const { document, violations } = applyConfigMask(current(), { document: { hitl: { timeout_seconds: 90 } }, unmappable: [] }, ["hitl.timeout_seconds"]);
    expect(violations).toEqual([]);
    expect(document.hitl).toEqual({ timeout_seconds: 90, default_on_timeout: "deny", approval_ttl_seconds: 600 });
  });

  test("a block replaces the whole block; an absent one removes it; the credential key survives", () => {
    const { document } = applyConfigMask(current(), { document: { backend: { http: { url: "https://y/mcp" } } }, unmappable: [] }, ["backend.http", "backend.stdio"]);
    expect(document.backend).toEqual({ server_name: "S", transport: "auto", http: { url: "https://y/mcp", credential_key: "proxy:s" } });
  });

  test("unknown and read-only paths, an empty mask and unmappable values are violations", () => {
    const unmappable = [{ field: "log_level", description: "must be DEBUG or INFO" }];
    const paths = ["proxy_id", "backend.http.credential_key", "nope", "log_level", "hitl.timeout_seconds"];
    const reasons = applyConfigMask(current(), { document: {}, unmappable }, paths).violations.map((v) => `${v.field} ${v.reason}`);
    expect(reasons).toEqual(["proxy_id READ_ONLY", "backend.http.credential_key READ_ONLY", "update_mask UNKNOWN_FIELD", "log_level INVALID_ENUM"]);
    expect(applyConfigMask(current(), { document: {}, unmappable: [] }, []).violations.map((v) => v.field)).toEqual(["update_mask"]);
  });

  test("JSON (camelCase) mask paths are accepted", () => {
    expect(normalizeMaskPath("hitl.timeoutSeconds")).toBe("hitl.timeout_seconds");
    expect(normalizeMaskPath(" backend.stdio ")).toBe("backend.stdio");
  });
});
