/// <reference path="../../../../../node_modules/bun-types/test.d.ts" />
import { describe, expect, test } from "bun:test";
import { create, fromJson } from "@bufbuild/protobuf";
import { ValueSchema } from "@bufbuild/protobuf/wkt";
import { LogLevel, ProxyConfigSchema } from "../../../../../lib/gen/mcpacp/common/v1/config_pb.ts";
import { BackendTransport } from "../../../../../lib/gen/mcpacp/common/v1/proxy_pb.ts";
import { configFromForm, formFromConfig, isDirty, maskPaths, splitArgs, validateConfigForm, valueText } from "./config-form.ts";

const stored = create(ProxyConfigSchema, {
  proxyId: "px_12345678:fs",
  logLevel: LogLevel.INFO,
  backend: { serverName: "fs", transport: BackendTransport.STDIO, stdio: { command: "npx", args: ["-y", "server fs", "/tmp"] } },
  hitl: { timeoutSeconds: 60, approvalTtlSeconds: 600 },
  limits: { requestsPerSecond: 10, burst: 50, toolCallsPerWindow: 30, toolWindowSeconds: 60 },
});

describe("config form", () => {
  test("a freshly loaded form is clean and valid", () => {
    const form = formFromConfig(stored);
    expect(form.args).toBe("-y, server fs, /tmp");
    expect(isDirty(form, { ...form })).toBe(false);
    expect(validateConfigForm(form)).toEqual({});
  });

  test("only changed fields become mask paths; whitespace-only edits are not changes", () => {
    const base = formFromConfig(stored);
    expect(maskPaths(base, { ...base, serverName: " fs " })).toEqual([]);
    expect(maskPaths(base, { ...base, hitlTimeout: "90", args: "-y,server fs,/tmp" })).toEqual(["hitl.timeout_seconds"]);
    expect(maskPaths(base, { ...base, sha256: "a".repeat(64) })).toEqual(["backend.stdio.attestation"]);
    expect(maskPaths(base, { ...base, transport: "auto", mtlsCert: "c" })).toEqual(["backend.transport", "mtls"]);
  });

  test("the config sent carries the new values; cleared blocks are absent", () => {
    const base = formFromConfig(stored);
    const sent = configFromForm({ ...base, hitlTimeout: "90", logLevel: "DEBUG", includePayloads: true });
    expect(sent.hitl?.timeoutSeconds).toBe(90);
    expect(sent.includePayloads).toBe(true);
    expect(sent.backend?.stdio?.args).toEqual(["-y", "server fs", "/tmp"]);
    expect(sent.backend?.stdio?.attestation).toBeUndefined();
    expect(sent.mtls).toBeUndefined();
    expect(configFromForm({ ...base, includePayloads: true }).includePayloads).toBe(false);
  });

  test("inline validation of ranges, URL, hash and mTLS", () => {
    const base = formFromConfig(stored);
    expect(validateConfigForm({ ...base, hitlTimeout: "4" }).hitlTimeout).toContain("5 to 300");
    expect(validateConfigForm({ ...base, approvalTtl: "901" }).approvalTtl).toContain("300 to 900");
    expect(validateConfigForm({ ...base, approvalTtl: "6.5" }).approvalTtl).toContain("whole number");
    expect(validateConfigForm({ ...base, transport: "streamablehttp", url: "" }).url).toBeDefined();
    expect(validateConfigForm({ ...base, transport: "auto", url: "ftp://x" }).url).toContain("http");
    expect(validateConfigForm({ ...base, sha256: "ABC" }).sha256).toBeDefined();
    const mtls = validateConfigForm({ ...base, transport: "streamablehttp", url: "https://x", mtlsCert: "/c" });
    expect(Object.keys(mtls).sort()).toEqual(["mtlsCa", "mtlsKey"]);
    expect(validateConfigForm({ ...base, serverName: " " }).serverName).toBeDefined();
  });

  test("args split on commas and values render for the pending table", () => {
    expect(splitArgs("a, b c ,,d")).toEqual(["a", "b c", "d"]);
    expect(valueText(undefined)).toBe("(not set)");
    expect(valueText(fromJson(ValueSchema, 60))).toBe("60");
    expect(valueText(fromJson(ValueSchema, ["a", "b"]))).toBe('["a","b"]');
    expect(valueText(fromJson(ValueSchema, "x"))).toBe("x");
  });
});
