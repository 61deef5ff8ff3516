// ProxyService over the real gateway socket: list/get, create with each check in order, the
// snippet, delete (running refused, archive layout, purge) and the deletion notice.
import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_POLICY, formatJson, loadManagerConfig, loadProxyConfig } from "../../lib/config/index.ts";
import { ManagerService } from "../../lib/gen/mcpacp/api/v1/manager_service_pb.ts";
import { ProxyService } from "../../lib/gen/mcpacp/api/v1/proxy_service_pb.ts";
import { EventType } from "../../lib/gen/mcpacp/common/v1/event_pb.ts";
import { BackendTransport, ProxyStatus } from "../../lib/gen/mcpacp/common/v1/proxy_pb.ts";
import { archiveDir, controlSocketPath, proxyBootstrapLogPath, proxyConfigPath, proxyDir, proxyLogDir, proxyPolicyPath } from "../../lib/paths/index.ts";
import { RpcCode, RpcError } from "../../lib/rpc/index.ts";
import { CLI_ENTRY } from "../helpers/index.ts";
import { makeSelfSignedCert } from "../fixtures/mcp/self-signed.ts";
import { startHttpEchoServer } from "../fixtures/mcp/http-echo-server.ts";
import { addProxy, attach, detachAll, failure, MANAGER_PID, serveControl, stopControl, violationFields, type ApiHarness, startApiHarness } from "./support.ts";

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness();
});
afterAll(async () => {
  await h.close();
});

const proxies = () => h.client(ProxyService);

describe("GetStatus", () => {
  test("pid, version, sockets and the attached proxies", async () => {
    const config = addProxy(h, "status-probe");
    attach(h, "status-probe", config);
    try {
      const status = await h.client(ManagerService).getStatus({});
      expect(status.pid).toBe(MANAGER_PID);
      expect(status.version).toBe("0.1.0-test");
      expect(status.uiUrl).toBe("http://127.0.0.1:8765");
      expect(status.apiSocket).toBe(join(h.paths.runtimeDir, "api.sock"));
      expect(status.attachedProxies.map((p) => p.proxyName)).toEqual(["status-probe"]);
      expect(status.attachedProxies[0]?.proxyId).toBe(config.proxy_id);
    } finally {
      detachAll(h);
    }
  });
});

/** Runs the real CLI against the harness's home. */
async function cli(args: string[]): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const child = Bun.spawn([process.execPath, CLI_ENTRY, ...args], {
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: h.dir, MCP_ACP_HOME: h.dir, NO_COLOR: "1" },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text()]);
  return { exitCode: await child.exited, stdout, stderr };
}

function writeJsonl(path: string, records: object[]): void {
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, records.map((r) => `${JSON.stringify(r)}\n`).join(""), { mode: 0o600 });
}

describe("ListProxies and GetProxy", () => {
  let alphaId = "";
  beforeAll(() => {
    alphaId = addProxy(h, "alpha").proxy_id;
    addProxy(h, "beta", {
      transport: "streamablehttp",
      stdio: undefined,
      http: { url: "http://127.0.0.1:9/mcp", timeout: 30 },
    });
    const logDir = proxyLogDir(loadManagerConfig(h.paths).log_dir, "alpha");
    writeJsonl(join(logDir, "shutdowns.jsonl"), [
      { time: "2026-01-01T10:00:00.000Z", event: "security_shutdown", failure_type: "audit_failure", reason: "old", exit_code: 10, context: {} },
      { time: "2026-01-02T10:00:00.000Z", event: "security_shutdown", failure_type: "audit_failure", reason: "new", exit_code: 10, context: {} },
    ]);
  });

  test("every configured proxy, sorted, inactive when not attached, with config facts and unread incidents", async () => {
    const list = await proxies().listProxies({});
    const names = list.proxies.map((p) => p.proxyName);
    expect(names).toContain("alpha");
    expect(names.indexOf("alpha")).toBeLessThan(names.indexOf("beta"));
    const alpha = list.proxies.find((p) => p.proxyName === "alpha");
    expect(alpha?.status).toBe(ProxyStatus.INACTIVE);
    expect(alpha?.proxyId).toBe(alphaId);
    expect(alpha?.command).toBe("/usr/bin/alpha-server");
    expect(alpha?.args).toEqual(["--root", "/srv/alpha"]);
    expect(alpha?.transport).toBe(BackendTransport.STDIO);
    expect(alpha?.stats).toBeUndefined();
    expect(alpha?.unreadIncidents).toBe(2);
    const beta = list.proxies.find((p) => p.proxyName === "beta");
    expect(beta?.url).toBe("http://127.0.0.1:9/mcp");
    expect(beta?.command).toBe("");
    const since = await proxies().listProxies({ incidentsSince: { seconds: BigInt(Date.parse("2026-01-01T12:00:00Z") / 1000), nanos: 0 } });
    expect(since.proxies.find((p) => p.proxyName === "alpha")?.unreadIncidents).toBe(1);
  });

  test("an attached proxy is running, with the stats and pending count its control socket reports", async () => {
    const config = loadProxyConfig(h.paths, "alpha");
    attach(h, "alpha", config);
    const server = await serveControl(h, "alpha", {
      getStats: () => ({ stats: { requestsTotal: 7n, requestsAllowed: 3n } }),
      listPending: () => ({ approvals: [{ id: "0123456789abcdef", toolName: "write_file" }] }),
      listCached: () => ({ cached: { ttlSeconds: 600 } }),
      getInfo: () => ({ info: { proxyName: "alpha", clientId: "claude-desktop", pid: 99 } }),
    });
    try {
      const alpha = (await proxies().listProxies({})).proxies.find((p) => p.proxyName === "alpha");
      expect(alpha?.status).toBe(ProxyStatus.RUNNING);
      expect(alpha?.instanceId).toEndWith("_0badcafe");
      expect(alpha?.stats?.requestsTotal).toBe(7n);
      expect(alpha?.pendingCount).toBe(1);
      const detail = await proxies().getProxy({ proxy: alphaId });
      expect(detail.proxy?.proxyName).toBe("alpha");
      expect(detail.info?.clientId).toBe("claude-desktop");
      expect(detail.proxy?.clientId).toBe("claude-desktop");
      expect(detail.pending.map((p) => p.id)).toEqual(["0123456789abcdef"]);
      expect(detail.cached?.ttlSeconds).toBe(600);
      expect(detail.configPath).toBe(proxyConfigPath(h.paths, "alpha"));
      expect(detail.policyPath).toBe(proxyPolicyPath(h.paths, "alpha"));
    } finally {
      detachAll(h);
      await stopControl(h, server);
    }
  });

  test("a proxy that does not implement GetStats has no stats (never made up)", async () => {
    attach(h, "alpha", loadProxyConfig(h.paths, "alpha"));
    const server = await serveControl(h, "alpha", {
      getStats: () => {
        throw new RpcError(RpcCode.UNIMPLEMENTED, "not yet");
      },
      listPending: () => ({ approvals: [] }),
    });
    try {
      const alpha = (await proxies().listProxies({})).proxies.find((p) => p.proxyName === "alpha");
      expect(alpha?.status).toBe(ProxyStatus.RUNNING);
      expect(alpha?.stats).toBeUndefined();
      expect(alpha?.pendingCount).toBe(0);
    } finally {
      detachAll(h);
      await stopControl(h, server);
    }
  });

  test("an unknown proxy is NOT_FOUND with the configured names", async () => {
    const caught = await failure(proxies().getProxy({ proxy: "nope" }));
    expect(caught.code).toBe(Code.NotFound);
    expect(caught.detail?.code).toBe("PROXY_NOT_FOUND");
    expect(caught.detail?.details.available?.split(",")).toContain("alpha");
  });

  test("an empty proxy field is INVALID_ARGUMENT naming the field", async () => {
    const caught = await failure(proxies().getProxy({ proxy: "" }));
    expect(caught.code).toBe(Code.InvalidArgument);
    expect(violationFields(caught)).toEqual(["proxy"]);
  });
});

describe("CreateProxy checks, in order", () => {
  beforeAll(() => {
    if (!existsSync(proxyConfigPath(h.paths, "alpha"))) addProxy(h, "alpha");
  });

  const base = { serverName: "Files", command: "/usr/bin/files-server", args: ["/data"], skipHealthCheck: true };

  test("name rules: PROXY_INVALID on the name, before any other problem", async () => {
    for (const name of ["_hidden", "manager", "has space", ""]) {
      const caught = await failure(proxies().createProxy({ name, serverName: "", command: "" }));
      expect(caught.code).toBe(Code.InvalidArgument);
      expect(caught.detail?.code).toBe("PROXY_INVALID");
      expect(violationFields(caught)).toEqual(["name"]);
    }
  });

  test("an existing name (ignoring case) is ALREADY_EXISTS PROXY_EXISTS", async () => {
    const caught = await failure(proxies().createProxy({ ...base, name: "ALPHA" }));
    expect(caught.code).toBe(Code.AlreadyExists);
    expect(caught.detail?.code).toBe("PROXY_EXISTS");
  });

  test("transport fields: stdio needs a command, streamablehttp a url, and each refuses the other's fields", async () => {
    let caught = await failure(proxies().createProxy({ name: "t1", serverName: "", command: "" }));
    expect(caught.detail?.code).toBe("PROXY_INVALID");
    expect(violationFields(caught).sort()).toEqual(["command", "server_name"]);
    caught = await failure(proxies().createProxy({ name: "t2", serverName: "S", transport: BackendTransport.STREAMABLE_HTTP, command: "x" }));
    expect(violationFields(caught).sort()).toEqual(["command", "url"]);
    caught = await failure(proxies().createProxy({ name: "t3", serverName: "S", transport: BackendTransport.STREAMABLE_HTTP, url: "ftp://x" }));
    expect(violationFields(caught)).toEqual(["url"]);
    caught = await failure(proxies().createProxy({ ...base, name: "t4", url: "http://127.0.0.1:1/mcp" }));
    expect(violationFields(caught)).toEqual(["url"]);
    caught = await failure(proxies().createProxy({ ...base, name: "t5", transport: BackendTransport.AUTO, url: "http://127.0.0.1:1/mcp", timeout: 301 }));
    expect(violationFields(caught)).toEqual(["timeout"]);
  });

  test("an API key is refused while there is no secret store", async () => {
    const caught = await failure(proxies().createProxy({ ...base, name: "keyed", apiKey: "s3cret" }));
    expect(caught.code).toBe(Code.Unimplemented);
    expect(violationFields(caught)).toEqual(["api_key"]);
    expect(existsSync(proxyDir(h.paths, "keyed"))).toBe(false);
  });

  test("SHA-256: 64 hex characters", async () => {
    const caught = await failure(proxies().createProxy({ ...base, name: "sha", attestation: { expectedSha256: "abc" } }));
    expect(caught.detail?.code).toBe("PROXY_INVALID");
    expect(violationFields(caught)).toEqual(["attestation.expected_sha256"]);
  });

  test("mTLS: all three paths or none, each an existing file", async () => {
    const http = { name: "tls", serverName: "S", transport: BackendTransport.STREAMABLE_HTTP, url: "https://127.0.0.1:1/mcp", skipHealthCheck: true };
    let caught = await failure(proxies().createProxy({ ...http, mtls: { clientCertPath: "/etc/hostname" } }));
    expect(violationFields(caught).sort()).toEqual(["mtls.ca_bundle_path", "mtls.client_key_path"]);
    caught = await failure(proxies().createProxy({ ...http, mtls: { clientCertPath: "/nope/cert.pem", clientKeyPath: "/nope/key.pem", caBundlePath: "relative.pem" } }));
    expect(caught.detail?.violations.map((v) => v.reason)).toEqual(["FILE_NOT_FOUND", "FILE_NOT_FOUND", "INVALID_VALUE"]);
  });

  test("health check: an unreachable backend is FAILED_PRECONDITION BACKEND_UNREACHABLE; skip_health_check creates it", async () => {
    const request = { name: "remote", serverName: "Remote", transport: BackendTransport.STREAMABLE_HTTP, url: "http://127.0.0.1:9/mcp", timeout: 2 };
    const caught = await failure(proxies().createProxy(request));
    expect(caught.code).toBe(Code.FailedPrecondition);
    expect(caught.detail?.code).toBe("BACKEND_UNREACHABLE");
    expect(existsSync(proxyDir(h.paths, "remote"))).toBe(false);
    const created = await proxies().createProxy({ ...request, url: "http://127.0.0.1:9/other", skipHealthCheck: true });
    expect(created.proxyName).toBe("remote");
    expect(loadProxyConfig(h.paths, "remote").backend.http?.timeout).toBe(2);
  });

  test("health check: a backend that completes MCP initialize passes", async () => {
    const server = startHttpEchoServer();
    try {
      const created = await proxies().createProxy({ name: "live-http", serverName: "Live", transport: BackendTransport.STREAMABLE_HTTP, url: server.url });
      expect(created.proxyName).toBe("live-http");
      expect(server.seen.some((r) => r.method === "POST")).toBe(true);
    } finally {
      await server.close();
    }
  });

  test("health check: a TLS certificate problem is INVALID_ARGUMENT PROXY_INVALID", async () => {
    const server = startHttpEchoServer({ tls: makeSelfSignedCert(h.dir) });
    try {
      const caught = await failure(proxies().createProxy({ name: "bad-tls", serverName: "S", transport: BackendTransport.STREAMABLE_HTTP, url: server.url.replace("http:", "https:") }));
      expect(caught.code).toBe(Code.InvalidArgument);
      expect(caught.detail?.code).toBe("PROXY_INVALID");
      expect(violationFields(caught)).toEqual(["url"]);
    } finally {
      await server.close();
    }
  });

  test("duplicate backend: ALREADY_EXISTS BACKEND_DUPLICATE naming the proxy; other args are no duplicate; the skip flag creates it", async () => {
    const same = { name: "alpha-copy", serverName: "Copy", command: "/usr/bin/alpha-server", args: ["--root", "/srv/alpha"], skipHealthCheck: true };
    const caught = await failure(proxies().createProxy(same));
    expect(caught.code).toBe(Code.AlreadyExists);
    expect(caught.detail?.code).toBe("BACKEND_DUPLICATE");
    expect(caught.detail?.details.existing_proxy).toBe("alpha");
    await proxies().createProxy({ ...same, name: "alpha-other", args: ["--root", "/srv/other"] });
    await proxies().createProxy({ ...same, skipDuplicateCheck: true });
    expect(existsSync(proxyConfigPath(h.paths, "alpha-copy"))).toBe(true);
  });
});

describe("CreateProxy result", () => {
  test("writes the same files as `mcp-acp proxy add` and returns the snippet GetConfigSnippet and `install mcp-json` give", async () => {
    const added = await cli(["proxy", "add", "--name", "cli-made", "--server-name", "Same Server", "--command", "/opt/same", "--args", "a,b", "--yes"]);
    expect(added.exitCode).toBe(0);
    const created = await proxies().createProxy({
      name: "api-made",
      serverName: "Same Server",
      command: "/opt/same",
      args: ["a", "b"],
      skipDuplicateCheck: true,
    });
    const text = (name: string) => readFileSync(proxyConfigPath(h.paths, name), "utf8");
    const config = loadProxyConfig(h.paths, "api-made");
    const fromCli = loadProxyConfig(h.paths, "cli-made");
    expect(created.proxyId).toBe(config.proxy_id);
    expect(config.proxy_id).toMatch(/^px_[a-f0-9]{8}:same-server$/);
    expect(config.created_at).toMatch(/Z$/);
    const normalize = (t: string, c: typeof config) => t.replace(c.proxy_id, "ID").replace(c.created_at, "AT");
    expect(normalize(text("api-made"), config)).toBe(normalize(text("cli-made"), fromCli));
    expect(readFileSync(proxyPolicyPath(h.paths, "api-made"), "utf8")).toBe(formatJson(DEFAULT_POLICY));
    expect(readFileSync(proxyPolicyPath(h.paths, "api-made"), "utf8")).toBe(readFileSync(proxyPolicyPath(h.paths, "cli-made"), "utf8"));
    expect(statSync(proxyConfigPath(h.paths, "api-made")).mode & 0o777).toBe(0o600);
    expect(created.configPath).toBe(proxyConfigPath(h.paths, "api-made"));
    expect(created.policyPath).toBe(proxyPolicyPath(h.paths, "api-made"));

    const snippet = (await proxies().getConfigSnippet({ proxies: ["api-made"] })).snippet;
    expect(created.snippet).toEqual(snippet);
    const printed = await cli(["install", "mcp-json", "--proxy", "api-made"]);
    expect(printed.exitCode).toBe(0);
    const json = JSON.parse(printed.stdout) as { mcpServers: Record<string, { command: string; args: string[] }> };
    expect(json.mcpServers).toEqual({ "api-made": { command: snippet?.mcpServers["api-made"]?.command ?? "", args: snippet?.mcpServers["api-made"]?.args ?? [] } });
    expect(snippet?.executablePath).toBe(json.mcpServers["api-made"]?.command ?? "");
  });

  test("GetConfigSnippet: all proxies when none is named; an unknown one is NOT_FOUND", async () => {
    const all = await proxies().getConfigSnippet({});
    expect(Object.keys(all.snippet?.mcpServers ?? {})).toContain("api-made");
    expect(all.snippet?.mcpServers["api-made"]?.args.slice(-3)).toEqual(["start", "--proxy", "api-made"]);
    const caught = await failure(proxies().getConfigSnippet({ proxies: ["ghost"] }));
    expect(caught.code).toBe(Code.NotFound);
  });
});

describe("DeleteProxy", () => {
  test("a running proxy is refused: attached, answering on its socket, or holding the writer lock", async () => {
    const config = addProxy(h, "busy");
    attach(h, "busy", config);
    let caught = await failure(proxies().deleteProxy({ proxy: "busy" }));
    expect(caught.code).toBe(Code.FailedPrecondition);
    expect(caught.detail?.code).toBe("PROXY_RUNNING");
    detachAll(h);

    const server = await serveControl(h, "busy", {});
    caught = await failure(proxies().deleteProxy({ proxy: "busy" }));
    expect(caught.detail?.code).toBe("PROXY_RUNNING");
    expect(caught.message).toContain("control socket");
    await stopControl(h, server);

    const logDir = proxyLogDir(loadManagerConfig(h.paths).log_dir, "busy");
    mkdirSync(logDir, { recursive: true });
    writeFileSync(join(logDir, ".writer.lock"), `${JSON.stringify({ pid: process.pid })}\n`);
    caught = await failure(proxies().deleteProxy({ proxy: "busy" }));
    expect(caught.detail?.code).toBe("PROXY_RUNNING");
    expect(caught.message).toContain("writer lock");
    expect(existsSync(proxyConfigPath(h.paths, "busy"))).toBe(true);
  });

  test("soft delete: the archive layout, metadata and README; debug logs, socket and folders removed; proxy_deleted sent", async () => {
    const config = addProxy(h, "gone");
    const logDir = proxyLogDir(loadManagerConfig(h.paths).log_dir, "gone");
    writeJsonl(join(logDir, "audit", "decisions.jsonl"), [{ event: "x" }]);
    writeJsonl(join(logDir, "system", "system.jsonl"), [{ event: "y" }]);
    writeJsonl(join(logDir, "debug", "client_wire.jsonl"), [{ event: "wire" }]);
    writeJsonl(join(logDir, "shutdowns.jsonl"), [{ event: "security_shutdown" }]);
    writeFileSync(join(logDir, "state.db"), "db");
    writeFileSync(join(logDir, ".last_crash"), "crash");
    writeJsonl(proxyBootstrapLogPath(h.paths, "gone"), [{ event: "startup_failed" }]);
    writeFileSync(controlSocketPath(h.paths, "gone"), "");
    const before = h.events.length;

    const result = await proxies().deleteProxy({ proxy: config.proxy_id });
    expect(result.archiveName).toMatch(/^gone_\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}$/);
    const archive = join(archiveDir(h.paths), result.archiveName);
    expect(readdirSync(archive).sort()).toEqual(["README.txt", "config", "logs", "metadata.json"]);
    expect(readdirSync(join(archive, "config")).sort()).toEqual(["bootstrap.jsonl", "config.json", "policy.json"]);
    expect(readdirSync(join(archive, "logs")).sort()).toEqual([".last_crash", "audit", "shutdowns.jsonl", "state.db", "system"]);
    expect(readFileSync(join(archive, "logs", "audit", "decisions.jsonl"), "utf8")).toBe('{"event":"x"}\n');
    const metadata = JSON.parse(readFileSync(join(archive, "metadata.json"), "utf8"));
    expect(metadata).toMatchObject({
      version: 1,
      original_name: "gone",
      deleted_by: "api",
      original_config_path: proxyDir(h.paths, "gone"),
      original_log_path: logDir,
      archived: { config: true, audit_logs: true, system_logs: true, integrity_state: true, crash_breadcrumb: true, incident_shutdowns: true, incident_bootstrap: true },
      deleted: { debug_logs: true, socket_file: true, backend_credential: false },
    });
    expect(metadata.deleted.debug_logs_size_bytes).toBeGreaterThan(0);
    expect(readFileSync(join(archive, "README.txt"), "utf8")).toContain("To restore");
    expect(existsSync(proxyDir(h.paths, "gone"))).toBe(false);
    expect(existsSync(logDir)).toBe(false);
    expect(existsSync(controlSocketPath(h.paths, "gone"))).toBe(false);
    expect(result.deleted.some((d) => d.startsWith("debug logs"))).toBe(true);
    expect(result.archivedSizeBytes).toBeGreaterThan(0n);
    expect(result.deletedSizeBytes).toBe(BigInt(metadata.deleted.debug_logs_size_bytes));
    const event = h.events.slice(before).find((e) => e.type === EventType.PROXY_DELETED);
    expect(event?.payload).toEqual({ case: "proxyDeleted", value: { proxyName: "gone", proxyId: config.proxy_id, archiveName: result.archiveName } });
  });

  test("purge: no archive, config and log folders gone", async () => {
    addProxy(h, "purged");
    const logDir = proxyLogDir(loadManagerConfig(h.paths).log_dir, "purged");
    writeJsonl(join(logDir, "audit", "operations.jsonl"), [{ event: "x" }]);
    const archives = existsSync(archiveDir(h.paths)) ? readdirSync(archiveDir(h.paths)) : [];
    const result = await proxies().deleteProxy({ proxy: "purged", purge: true });
    expect(result.archiveName).toBe("");
    expect(result.archived).toEqual([]);
    expect(existsSync(proxyDir(h.paths, "purged"))).toBe(false);
    expect(existsSync(logDir)).toBe(false);
    expect(existsSync(archiveDir(h.paths)) ? readdirSync(archiveDir(h.paths)) : []).toEqual(archives);
    expect(h.events.at(-1)?.payload).toEqual({ case: "proxyDeleted", value: { proxyName: "purged", proxyId: expect.any(String), archiveName: "" } });
  });

  test("an unknown proxy is NOT_FOUND", async () => {
    const caught = await failure(proxies().deleteProxy({ proxy: "never-was" }));
    expect(caught.code).toBe(Code.NotFound);
    expect(caught.detail?.code).toBe("PROXY_NOT_FOUND");
  });
});

describe("NotifyProxyDeleted", () => {
  test("broadcasts proxy_deleted; a missing name is INVALID_ARGUMENT", async () => {
    await proxies().notifyProxyDeleted({ proxyName: "cli-deleted", proxyId: "px_00000000:x", archiveName: "cli-deleted_2026-01-01T00-00-00" });
    expect(h.events.at(-1)).toMatchObject({ type: EventType.PROXY_DELETED, proxyName: "cli-deleted" });
    const caught = await failure(proxies().notifyProxyDeleted({ proxyName: "" }));
    expect(caught.code).toBe(Code.InvalidArgument);
  });
});
