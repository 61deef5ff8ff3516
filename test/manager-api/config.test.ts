// ConfigService over the real gateway socket: running vs file config, field-mask updates with the
// optimistic version, violations, the running/saved comparison and manager.json.
import { create } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { loadProxyConfig } from "../../lib/config/index.ts";
import { ConfigService } from "../../lib/gen/mcpacp/api/v1/config_service_pb.ts";
import { LogLevel, ProxyConfigSchema } from "../../lib/gen/mcpacp/common/v1/config_pb.ts";
import { IdentityMode } from "../../lib/gen/mcpacp/common/v1/proxy_pb.ts";
import { managerConfigPath, proxyConfigPath } from "../../lib/paths/index.ts";
import { addProxy, attach, detachAll, failure, serveControl, stopControl, violationFields, type ApiHarness, startApiHarness } from "./support.ts";

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness();
  addProxy(h, "cfg");
});
afterAll(async () => {
  await h.close();
});

const configs = () => h.client(ConfigService);

function mask(...paths: string[]) {
  return { paths };
}

describe("GetConfig", () => {
  test("a stopped proxy: the file, its version and paths", async () => {
    const got = await configs().getConfig({ proxy: "cfg" });
    expect(got.running).toBe(false);
    expect(got.config?.backend?.stdio?.command).toBe("/usr/bin/cfg-server");
    expect(got.config?.hitl?.timeoutSeconds).toBe(60);
    expect(got.version).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(got.configPath).toBe(proxyConfigPath(h.paths, "cfg"));
    expect(got.logDir).toEndWith("/mcp-acp/proxies/cfg");
  });

  test("a running proxy: the config it runs with", async () => {
    const config = loadProxyConfig(h.paths, "cfg");
    attach(h, "cfg", config);
    const server = await serveControl(h, "cfg", {
      getRunningConfig: () => ({ config: { proxyId: config.proxy_id, hitl: { timeoutSeconds: 99 } }, logDir: "/running/logs" }),
    });
    try {
      const got = await configs().getConfig({ proxy: "cfg" });
      expect(got.running).toBe(true);
      expect(got.config?.hitl?.timeoutSeconds).toBe(99);
      expect(got.logDir).toBe("/running/logs");
    } finally {
      detachAll(h);
      await stopControl(h, server);
    }
  });
});

describe("UpdateConfig", () => {
  test("only masked fields change; the version moves on; the file stays valid and 0600", async () => {
    const before = await configs().getConfig({ proxy: "cfg" });
    const request = create(ProxyConfigSchema, { hitl: { timeoutSeconds: 120, approvalTtlSeconds: 1 }, logLevel: LogLevel.DEBUG, backend: { serverName: "ignored" } });
    const updated = await configs().updateConfig({ proxy: "cfg", config: request, updateMask: mask("hitl.timeout_seconds", "log_level"), expectedVersion: before.version });
    expect(updated.version).not.toBe(before.version);
    expect(updated.restartRequired).toBe(false);
    const saved = loadProxyConfig(h.paths, "cfg");
    expect(saved.hitl.timeout_seconds).toBe(120);
    expect(saved.hitl.approval_ttl_seconds).toBe(600);
    expect(saved.log_level).toBe("DEBUG");
    expect(saved.backend.server_name).toBe("cfg server");
    expect(updated.config?.hitl?.timeoutSeconds).toBe(120);
    expect((await configs().getConfig({ proxy: "cfg" })).version).toBe(updated.version);
  });

  test("a stale expected_version is ABORTED CONFIG_VERSION_MISMATCH and changes nothing", async () => {
    const before = await configs().getConfig({ proxy: "cfg" });
    const text = readFileSync(proxyConfigPath(h.paths, "cfg"), "utf8");
    // Someone edits the file by hand in between.
    writeFileSync(proxyConfigPath(h.paths, "cfg"), text.replace('"include_payloads": true', '"include_payloads": false'));
    const caught = await failure(
      configs().updateConfig({ proxy: "cfg", config: { includePayloads: true }, updateMask: mask("include_payloads"), expectedVersion: before.version }),
    );
    expect(caught.code).toBe(Code.Aborted);
    expect(caught.detail?.code).toBe("CONFIG_VERSION_MISMATCH");
    expect(loadProxyConfig(h.paths, "cfg").include_payloads).toBe(false);
    const empty = await failure(configs().updateConfig({ proxy: "cfg", config: {}, updateMask: mask("include_payloads"), expectedVersion: "" }));
    expect(empty.code).toBe(Code.Aborted);
  });

  test("invalid results are INVALID_ARGUMENT CONFIG_INVALID with one violation per field", async () => {
    const { version } = await configs().getConfig({ proxy: "cfg" });
    let caught = await failure(
      configs().updateConfig({
        proxy: "cfg",
        config: { hitl: { timeoutSeconds: 1000 }, backend: { http: { url: "ftp://nope" } } },
        updateMask: mask("hitl.timeout_seconds", "backend.http.url"),
        expectedVersion: version,
      }),
    );
    expect(caught.code).toBe(Code.InvalidArgument);
    expect(caught.detail?.code).toBe("CONFIG_INVALID");
    expect(violationFields(caught).sort()).toEqual(["backend.http.url", "hitl.timeout_seconds"]);
    expect(caught.detail?.violations.find((v) => v.field === "hitl.timeout_seconds")?.reason).toBe("OUT_OF_RANGE");

    caught = await failure(configs().updateConfig({ proxy: "cfg", config: {}, updateMask: mask("proxy_id", "no_such.field"), expectedVersion: version }));
    expect(caught.detail?.violations.map((v) => v.reason).sort()).toEqual(["READ_ONLY", "UNKNOWN_FIELD"]);

    caught = await failure(configs().updateConfig({ proxy: "cfg", config: { logLevel: LogLevel.UNSPECIFIED }, updateMask: mask("log_level"), expectedVersion: version }));
    expect(violationFields(caught)).toEqual(["log_level"]);

    caught = await failure(configs().updateConfig({ proxy: "cfg", config: { mtls: { clientCertPath: "/nope/c.pem" } }, updateMask: mask("mtls"), expectedVersion: version }));
    expect(violationFields(caught).sort()).toEqual(["mtls.ca_bundle_path", "mtls.client_key_path"]);

    caught = await failure(configs().updateConfig({ proxy: "cfg", config: {}, updateMask: mask(), expectedVersion: version }));
    expect(violationFields(caught)).toEqual(["update_mask"]);
    expect((await configs().getConfig({ proxy: "cfg" })).version).toBe(version);
  });

  test("a whole block is replaced: backend.stdio with new args, and an absent mtls block stays removed", async () => {
    const { version } = await configs().getConfig({ proxy: "cfg" });
    await configs().updateConfig({
      proxy: "cfg",
      config: { backend: { stdio: { command: "/opt/new", args: ["x"] } } },
      updateMask: mask("backend.stdio", "mtls"),
      expectedVersion: version,
    });
    const saved = loadProxyConfig(h.paths, "cfg");
    expect(saved.backend.stdio).toEqual({ command: "/opt/new", args: ["x"], attestation: null });
    expect(saved.mtls ?? null).toBeNull();
  });

  test("a running proxy must be restarted to apply the change", async () => {
    attach(h, "cfg", loadProxyConfig(h.paths, "cfg"));
    try {
      const { version } = await configs().getConfig({ proxy: "cfg" });
      const updated = await configs().updateConfig({ proxy: "cfg", config: { hitl: { timeoutSeconds: 30 } }, updateMask: mask("hitl.timeout_seconds"), expectedVersion: version });
      expect(updated.restartRequired).toBe(true);
      expect(updated.message).toContain("Restart");
    } finally {
      detachAll(h);
    }
  });
});

describe("CompareConfig", () => {
  test("not running: no changes; running: the differing fields with both values", async () => {
    const idle = await configs().compareConfig({ proxy: "cfg" });
    expect(idle.comparison?.hasChanges).toBe(false);
    expect(idle.comparison?.savedConfig?.backend?.stdio?.command).toBe("/opt/new");

    const saved = (await configs().getConfig({ proxy: "cfg" })).config;
    const running = create(ProxyConfigSchema, saved);
    if (running.hitl !== undefined) running.hitl.timeoutSeconds = 45;
    attach(h, "cfg", loadProxyConfig(h.paths, "cfg"));
    const server = await serveControl(h, "cfg", { getRunningConfig: () => ({ config: running }) });
    try {
      const compared = await configs().compareConfig({ proxy: "cfg" });
      expect(compared.comparison?.hasChanges).toBe(true);
      expect(compared.comparison?.changes.map((c) => c.field)).toEqual(["hitl.timeout_seconds"]);
      const change = compared.comparison?.changes[0];
      expect(change?.runningValue?.kind).toEqual({ case: "numberValue", value: 45 });
      expect(change?.savedValue?.kind).toEqual({ case: "numberValue", value: 30 });
    } finally {
      detachAll(h);
      await stopControl(h, server);
    }
  });
});

describe("manager.json and the API key", () => {
  test("GetManagerConfig returns manager.json", async () => {
    const got = await configs().getManagerConfig({});
    expect(got.configPath).toBe(managerConfigPath(h.paths));
    expect(got.config?.uiPort).toBe(8765);
    expect(got.config?.identityMode).toBe(IdentityMode.LOCAL);
  });

  test("SetApiKey and DeleteApiKey answer UNIMPLEMENTED until a secret store exists", async () => {
    expect((await failure(configs().setApiKey({ proxy: "cfg", apiKey: "k" }))).code).toBe(Code.Unimplemented);
    expect((await failure(configs().deleteApiKey({ proxy: "cfg" }))).code).toBe(Code.Unimplemented);
  });
});
