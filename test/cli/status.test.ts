// `mcp-acp status` as a real process: with no proxies, with configured proxies that are not
// running, and with a real running proxy (its control socket answers GetInfo/GetControlStatus).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ProxyControl } from "../../lib/gen/mcpacp/control/v1/control_pb.ts";
import { createGrpcClient, RpcCode, RpcError } from "../../lib/rpc/index.ts";
import { BUN, ECHO_SERVER, ProxyHome, type RawProxy } from "../proxy/support.ts";

describe("status with nothing running", () => {
  let home: ProxyHome;
  beforeAll(async () => {
    home = await ProxyHome.create();
  });
  afterAll(() => home.remove());

  test("no proxies configured", async () => {
    const r = await home.run(["status"]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe("No proxies configured. Add one with: mcp-acp proxy add\n0/0 proxies running\n");
    const json = await home.run(["status", "--json"]);
    expect(JSON.parse(json.stdout)).toEqual({ proxies: [], running: 0, total: 0 });
  });

  test("configured proxies that are not running", async () => {
    home.addStdioProxy("alpha", "backend-alpha", []);
    home.addStdioProxy("beta", "backend-beta", []);
    const r = await home.run(["status"]);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout.split("\n")).toEqual([
      "PROXY  STATUS       UPTIME  POLICY  BACKEND  REQUESTS",
      "alpha  not running",
      "beta   not running",
      "",
      "0/2 proxies running",
      "",
    ]);
    const json = JSON.parse((await home.run(["status", "--json"])).stdout) as { proxies: unknown[]; running: number; total: number };
    expect(json).toEqual({
      proxies: [
        { name: "alpha", running: false, socket: home.socketPath("alpha") },
        { name: "beta", running: false, socket: home.socketPath("beta") },
      ],
      running: 0,
      total: 2,
    });
  });

  test("--proxy of a proxy that is not running: exit 1, one line naming the start command", async () => {
    for (const args of [["status", "--proxy", "alpha"], ["status", "--proxy", "alpha", "--json"]]) {
      const r = await home.run(args);
      expect(r.exitCode).toBe(1);
      expect(r.stdout).toBe("");
      expect(r.stderr).toBe("Error: Proxy 'alpha' is not running. Start it with: mcp-acp start --proxy alpha\n");
    }
    const unknown = await home.run(["status", "--proxy", "gamma"]);
    expect(unknown.exitCode).toBe(1);
    expect(unknown.stderr).toContain("Error: Proxy 'gamma' not found.");
  });
});

describe("status with a running proxy", () => {
  let home: ProxyHome;
  let proxy: RawProxy;
  /** What the proxy says about request counts: null while it does not offer GetStats. */
  let statsTotal: number | null;
  let policyVersion: string;

  beforeAll(async () => {
    home = await ProxyHome.create();
    home.addStdioProxy("live", BUN, [ECHO_SERVER]);
    home.writePolicy("live", [{ id: "allow-echo", effect: "allow", conditions: { tool_name: "echo" } }]);
    home.addStdioProxy("idle", "backend-idle", []);
    proxy = home.spawnProxy("live");
    await proxy.initialize();
    const client = createGrpcClient(ProxyControl, await home.waitForControlSocket("live"));
    try {
      policyVersion = (await client.getControlStatus({})).status?.policyVersion ?? "";
      expect(policyVersion).not.toBe("");
      statsTotal = Number((await client.getStats({})).stats?.requestsTotal ?? 0);
    } catch (error) {
      if (!(error instanceof RpcError && error.code === RpcCode.UNIMPLEMENTED)) throw error;
      statsTotal = null;
    } finally {
      client.close();
    }
  }, 30_000);
  afterAll(() => home.remove());

  test("the overview: running with uptime, policy, backend and requests; k/n running", async () => {
    const r = await home.run(["status"]);
    expect(r.exitCode).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toMatch(/^PROXY +STATUS +UPTIME +POLICY +BACKEND +REQUESTS$/);
    expect(lines[1]).toBe("idle   not running");
    const row = lines[2] ?? "";
    expect(row).toMatch(/^live {3}running +\d+s +\S+ \(1 rule\) +stdio: /);
    expect(row).toContain(`  ${policyVersion} (1 rule)  `);
    expect(row).toContain(`stdio: ${BUN} ${ECHO_SERVER}`);
    if (statsTotal === null) expect(row.endsWith("  n/a")).toBe(true);
    else expect(row).toContain(`  ${statsTotal} (`);
    expect(lines.at(-2)).toBe("1/2 proxies running");
  }, 20_000);

  test("--proxy: the details of one proxy", async () => {
    const r = await home.run(["status", "--proxy", "live"]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain(`Proxy 'live': running (pid ${proxy.pid}, mcp-acp `);
    expect(r.stdout).toMatch(/ {2}Uptime: +\d+s \(since \d{4}-\d\d-\d\dT/);
    expect(r.stdout).toContain(`  Policy:   version ${policyVersion}, 1 rule, not reloaded since start\n`);
    expect(r.stdout).toContain(`  Backend:  live over stdio: ${BUN} ${ECHO_SERVER}, connected (echo-fixture 1.0.0)\n`);
    expect(r.stdout).toContain("  Client:   raw-e2e (MCP 2025-11-25)\n");
    expect(r.stdout).toContain(`  Socket:   ${home.socketPath("live")}\n`);
    if (statsTotal === null) expect(r.stdout).toContain("  Requests: n/a (the proxy does not report request statistics");
    else expect(r.stdout).toContain(`  Requests: ${statsTotal} (`);
  }, 20_000);

  test("--json: one document per the overview and per proxy", async () => {
    const all = JSON.parse((await home.run(["status", "--json"])).stdout) as { proxies: Record<string, unknown>[]; running: number; total: number };
    expect(all.running).toBe(1);
    expect(all.total).toBe(2);
    expect(all.proxies.map((p) => [p["name"], p["running"]])).toEqual([
      ["idle", false],
      ["live", true],
    ]);

    const r = await home.run(["status", "--proxy", "live", "--json"]);
    expect(r.exitCode).toBe(0);
    const report = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(report).toMatchObject({
      name: "live",
      running: true,
      pid: proxy.pid,
      socket: home.socketPath("live"),
      policy: { version: policyVersion, rules: 1, reload_count: 0, last_reload_at: null },
      backend: { server_name: "live", transport: "stdio", target: `${BUN} ${ECHO_SERVER}`, connected: true },
      client: { name: "raw-e2e", mcp_protocol_version: "2025-11-25" },
    });
    expect(typeof report["uptime_seconds"]).toBe("number");
    if (statsTotal === null) {
      expect(report["requests"]).toBeNull();
      expect(String(report["requests_unavailable"])).toContain("GetStats is not available");
    } else {
      expect(report["requests"]).toMatchObject({ total: statsTotal });
    }
  }, 20_000);
});
