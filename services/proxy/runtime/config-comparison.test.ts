import { describe, expect, test } from "bun:test";
import { DEFAULT_LIMITS, type ProxyConfig } from "../../../lib/config/index.ts";
import { configChanges } from "./config-comparison.ts";

const RUNNING: ProxyConfig = {
  schema_version: 1,
  proxy_id: "px_0000abcd:fs",
  created_at: "2026-01-01T00:00:00Z",
  backend: { server_name: "fs", transport: "stdio", stdio: { command: "bun", args: ["server.ts"] } },
  hitl: { timeout_seconds: 60, default_on_timeout: "deny", approval_ttl_seconds: 600 },
  limits: { ...DEFAULT_LIMITS },
  log_level: "INFO",
  include_payloads: true,
};

describe("configChanges", () => {
  test("equal configs have no changes", () => {
    expect(configChanges(RUNNING, structuredClone(RUNNING))).toEqual([]);
  });

  test("changed, added and removed fields are named by their file path, arrays compared whole", () => {
    const saved: ProxyConfig = {
      ...RUNNING,
      backend: { server_name: "fs", transport: "stdio", stdio: { command: "bun", args: ["server.ts", "--verbose"] } },
      hitl: { ...RUNNING.hitl, timeout_seconds: 30 },
      log_level: "DEBUG",
    };
    const changes = configChanges(RUNNING, saved);
    expect(changes.map((c) => c.field)).toEqual(["backend.stdio.args", "hitl.timeout_seconds", "log_level"]);
    expect(changes[1]?.runningValue?.kind).toEqual({ case: "numberValue", value: 60 });
    expect(changes[1]?.savedValue?.kind).toEqual({ case: "numberValue", value: 30 });

    const http: ProxyConfig = { ...RUNNING, backend: { server_name: "fs", transport: "streamablehttp", http: { url: "http://127.0.0.1:1/mcp", timeout: 5 } } };
    const fields = configChanges(RUNNING, http).map((c) => c.field);
    expect(fields).toContain("backend.stdio.command");
    expect(fields).toContain("backend.http.url");
    const gone = configChanges(RUNNING, http).find((c) => c.field === "backend.stdio.command");
    expect(gone?.savedValue?.kind).toEqual({ case: "nullValue", value: 0 });
  });
});
