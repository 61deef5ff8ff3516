import { describe, expect, test } from "bun:test";
import { BackendTransport } from "../../../../lib/gen/mcpacp/common/v1/proxy_pb.ts";
import { advancedUsed, buildCreateRequest, emptyAddProxyForm, splitArgs, validateAddProxy } from "./add-proxy-form.ts";

const base = { ...emptyAddProxyForm, name: "fs", serverName: "Filesystem", command: "npx" };

describe("add proxy form", () => {
  test("name rules: required, ≤64, charset, reserved in any case", () => {
    expect(validateAddProxy({ ...base, name: "" }).name).toBeDefined();
    expect(validateAddProxy({ ...base, name: "a".repeat(65) }).name).toBe("At most 64 characters.");
    expect(validateAddProxy({ ...base, name: "a".repeat(64) }).name).toBeUndefined();
    expect(validateAddProxy({ ...base, name: "-bad" }).name).toBeDefined();
    expect(validateAddProxy({ ...base, name: "has space" }).name).toBeDefined();
    expect(validateAddProxy({ ...base, name: "Manager" }).name).toContain("reserved");
    expect(validateAddProxy({ ...base, name: " ok_name-1 " }).name).toBeUndefined();
  });

  test("transport-specific requirements", () => {
    expect(validateAddProxy({ ...base, command: "" }).command).toBeDefined();
    expect(validateAddProxy({ ...base, transport: "http", command: "" })).toEqual({ url: "URL is required for HTTP." });
    expect(validateAddProxy({ ...base, transport: "http", url: "ftp://x" }).url).toBeDefined();
    expect(validateAddProxy({ ...base, transport: "auto", url: "" })).toEqual({});
    expect(validateAddProxy({ ...base, sha256: "abc" }).sha256).toBeDefined();
    expect(validateAddProxy({ ...base, transport: "http", url: "https://x", timeout: "301" }).timeout).toBeDefined();
  });

  test("mTLS is all three paths or none", () => {
    const e = validateAddProxy({ ...base, transport: "http", url: "https://x", mtlsCert: "/c.pem" });
    expect(e.mtlsKey).toBeDefined();
    expect(e.mtlsCa).toBeDefined();
    expect(e.mtlsCert).toBeUndefined();
  });

  test("the request carries only relevant, trimmed, non-default values", () => {
    const req = buildCreateRequest({ ...base, args: " -y, pkg  /tmp ", url: "https://ignored", timeout: "30", apiKey: "k" });
    expect(req).toEqual({ name: "fs", serverName: "Filesystem", transport: BackendTransport.STDIO, command: "npx", args: ["-y", "pkg", "/tmp"] });
    const http = buildCreateRequest({ ...base, transport: "http", url: " https://h/mcp ", timeout: "45" }, { health: true, duplicate: true });
    expect(http).toEqual({
      name: "fs",
      serverName: "Filesystem",
      transport: BackendTransport.STREAMABLE_HTTP,
      url: "https://h/mcp",
      timeout: 45,
      skipHealthCheck: true,
      skipDuplicateCheck: true,
    });
  });

  test("Advanced says configured only for values of the chosen transport", () => {
    expect(advancedUsed({ ...base, apiKey: "k" })).toBe(false);
    expect(advancedUsed({ ...base, transport: "auto", apiKey: "k" })).toBe(true);
    expect(advancedUsed({ ...base, requireSignature: true })).toBe(true);
    expect(splitArgs("")).toEqual([]);
  });
});
