// The running proxy's control socket: ProxyControl over grpc-js, answered from live state, reached
// with the lib/rpc client and with `buf curl` (server reflection).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { timestampMs } from "@bufbuild/protobuf/wkt";
import { writeFileSync } from "node:fs";
import { loadProxyConfig } from "../../lib/config/index.ts";
import { LogLevel } from "../../lib/gen/mcpacp/common/v1/config_pb.ts";
import { BackendTransport, IdentityMode } from "../../lib/gen/mcpacp/common/v1/proxy_pb.ts";
import { PolicyReloadStatus } from "../../lib/gen/mcpacp/common/v1/runtime_pb.ts";
import { ProxyControl } from "../../lib/gen/mcpacp/control/v1/control_pb.ts";
import { proxyConfigPath } from "../../lib/paths/index.ts";
import { createGrpcClient, type GrpcClient, RpcCode, RpcError } from "../../lib/rpc/index.ts";
import { BUF, BUN, ECHO_SERVER, ProxyHome, type RawProxy } from "./support.ts";

const msOf = (t: Parameters<typeof timestampMs>[0] | undefined): number => (t === undefined ? Number.NaN : timestampMs(t));

let home: ProxyHome;
let proxy: RawProxy;
let control: GrpcClient<typeof ProxyControl>;
const RULES = [{ id: "allow-echo", effect: "allow" as const, conditions: { tool_name: "echo" } }];

beforeAll(async () => {
  home = await ProxyHome.create();
  home.addStdioProxy("ctl", BUN, [ECHO_SERVER]);
  home.writePolicy("ctl", RULES);
  proxy = home.spawnProxy("ctl");
  await proxy.initialize();
  control = createGrpcClient(ProxyControl, await home.waitForControlSocket("ctl"));
}, 30_000);
afterAll(async () => {
  control.close();
  await home.remove();
});

async function bufCurl(args: string[]): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const child = Bun.spawn([BUF, "curl", "--unix-socket", home.socketPath("ctl"), "--protocol", "grpc", ...args], { stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, exitCode] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { exitCode, stdout, stderr };
}

describe("ProxyControl on the control socket", () => {
  test("GetInfo (lib/rpc client): identity, run facts, backend and the MCP session", async () => {
    const config = loadProxyConfig(home.paths, "ctl");
    const { info } = await control.getInfo({});
    expect(info?.proxyName).toBe("ctl");
    expect(info?.proxyId).toBe(config.proxy_id);
    const hex = config.proxy_id.slice(3, 11);
    expect(info?.instanceId).toMatch(new RegExp(`^${hex}_[0-9a-f]{8}$`));
    expect(info?.pid).toBe(proxy.pid);
    expect(info?.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(info?.controlSocket).toBe(home.socketPath("ctl"));
    expect(info?.identityMode).toBe(IdentityMode.LOCAL);
    expect(info?.clientId).toBe("raw-e2e");
    expect(info?.mcpProtocolVersion).toBe("2025-11-25");
    expect(info?.backend).toMatchObject({
      serverName: "ctl",
      transport: BackendTransport.STDIO,
      command: BUN,
      args: [ECHO_SERVER],
      connected: true,
      serverInfoName: "echo-fixture",
      serverInfoVersion: "1.0.0",
    });
    expect(msOf(info?.startedAt)).toBeLessThanOrEqual(Date.now());
    expect(info?.uptime).toBeDefined();
  }, 20_000);

  test("GetInfo and --list-services via buf curl (reflection, no schema)", async () => {
    const list = await bufCurl(["--list-services", "http://localhost"]);
    expect(list.exitCode).toBe(0);
    expect(list.stdout.split("\n")).toContain("mcpacp.control.v1.ProxyControl");
    const info = await bufCurl(["http://localhost/mcpacp.control.v1.ProxyControl/GetInfo"]);
    expect(info.exitCode).toBe(0);
    expect(JSON.parse(info.stdout)).toMatchObject({ info: { proxyName: "ctl", pid: proxy.pid, backend: { transport: "BACKEND_TRANSPORT_STDIO" } } });
  }, 20_000);

  test("GetRunningConfig: the loaded config.json as the proto model", async () => {
    const config = loadProxyConfig(home.paths, "ctl");
    const running = await control.getRunningConfig({});
    expect(running.configPath).toBe(proxyConfigPath(home.paths, "ctl"));
    expect(running.logDir).toBe(`${home.dir}/logs/mcp-acp/proxies/ctl`);
    expect(running.config).toMatchObject({
      proxyId: config.proxy_id,
      backend: { serverName: "ctl", transport: BackendTransport.STDIO, stdio: { command: BUN, args: [ECHO_SERVER] } },
      hitl: { timeoutSeconds: 60, approvalTtlSeconds: 600 },
      logLevel: LogLevel.INFO,
      includePayloads: true,
    });
    expect(msOf(running.config?.createdAt)).toBe(Date.parse(config.created_at));
  }, 20_000);

  test("ReloadPolicy and GetControlStatus: failures keep the old policy, a success is counted", async () => {
    const before = (await control.getControlStatus({})).status;
    expect(before).toMatchObject({ running: true, policyRulesCount: 1, reloadCount: 0, configChangedOnDisk: false });
    expect(before?.lastReloadAt).toBeUndefined();

    // Same bytes: nothing to swap, still a success.
    expect((await control.reloadPolicy({})).result).toMatchObject({ status: PolicyReloadStatus.SUCCESS, policyVersion: before?.policyVersion });

    home.writePolicyText("ctl", "{ broken");
    const broken = (await control.reloadPolicy({})).result;
    expect(broken?.status).toBe(PolicyReloadStatus.VALIDATION_ERROR);
    expect(broken?.policyVersion).toBe(before?.policyVersion);
    expect(broken?.error?.code).toBe("INVALID_JSON");
    expect(broken?.error?.message).toContain("policy.json");

    home.writePolicy("ctl", [...RULES, { id: "allow-env", effect: "allow", conditions: { tool_name: "env_keys" } }]);
    const fixed = (await control.reloadPolicy({})).result;
    expect(fixed?.status).toBe(PolicyReloadStatus.SUCCESS);
    // The file watcher may have swapped first; either way two rules are in force now.
    expect(fixed?.newRulesCount).toBe(2);
    const after = (await control.getControlStatus({})).status;
    expect(after?.policyRulesCount).toBe(2);
    expect(after?.policyVersion).not.toBe(before?.policyVersion);
    expect(after?.reloadCount).toBe(1);
    expect(after?.lastReloadAt).toBeDefined();
  }, 20_000);

  test("GetControlStatus notices a config.json changed on disk", async () => {
    const file = proxyConfigPath(home.paths, "ctl");
    const original = await Bun.file(file).text();
    const changed = { ...(JSON.parse(original) as Record<string, unknown>), log_level: "DEBUG" };
    writeFileSync(file, JSON.stringify(changed));
    try {
      expect((await control.getControlStatus({})).status?.configChangedOnDisk).toBe(true);
    } finally {
      writeFileSync(file, original);
    }
    expect((await control.getControlStatus({})).status?.configChangedOnDisk).toBe(false);
  }, 20_000);

  test("every unary RPC of ProxyControl is implemented (none answers UNIMPLEMENTED)", async () => {
    const calls: Record<string, () => Promise<unknown>> = {
      getInfo: () => control.getInfo({}),
      getStats: () => control.getStats({}),
      getSnapshot: () => control.getSnapshot({}),
      listPending: () => control.listPending({}),
      listCached: () => control.listCached({}),
      getControlStatus: () => control.getControlStatus({}),
      getRunningConfig: () => control.getRunningConfig({}),
      compareConfig: () => control.compareConfig({}),
      listAuthSessions: () => control.listAuthSessions({}),
      notifyLogin: () => control.notifyLogin({}),
      notifyLogout: () => control.notifyLogout({}),
      verifyAudit: () => control.verifyAudit({}),
      repairAudit: () => control.repairAudit({ dryRun: true }),
    };
    for (const [name, run] of Object.entries(calls)) {
      const error = await run().then(() => null, (e: unknown) => e);
      if (error !== null) {
        expect(error).toBeInstanceOf(RpcError);
        expect({ name, code: (error as RpcError).code }).not.toEqual({ name, code: RpcCode.UNIMPLEMENTED });
      }
    }
  }, 20_000);
});
