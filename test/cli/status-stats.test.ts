// `mcp-acp status` showing request counts from GetStats, against a fixture control server that
// answers GetStats with known numbers (the real proxy's numbers are covered in status.test.ts
// once it offers GetStats).
import { afterAll, beforeAll, expect, test } from "bun:test";
import { ProxyHome } from "../proxy/support.ts";
import { FixtureControlServer } from "./fixtures/approval-control-server.ts";

let home: ProxyHome;
let fx: FixtureControlServer;

beforeAll(async () => {
  home = await ProxyHome.create();
  home.addStdioProxy("fx", "backend-fx", []);
  fx = await FixtureControlServer.start({
    paths: home.paths,
    name: "fx",
    stats: {
      requestsTotal: 12n,
      requestsAllowed: 7n,
      requestsDenied: 3n,
      requestsHitl: 2n,
      policyEval: { count: 10n, p50Ms: 0.05, p95Ms: 0.2, minMs: 0.01, maxMs: 0.4 },
    },
  });
}, 30_000);
afterAll(async () => {
  await fx.close();
  await home.remove();
});

test("the overview and the details show the counts the proxy reports", async () => {
  const overview = await home.run(["status"]);
  expect(overview.exitCode).toBe(0);
  expect(overview.stdout).toMatch(/\nfx +running +\d+s +v1 \(1 rule\) +\? +12 \(7 allowed, 3 denied, 2 hitl\)\n/);
  expect(overview.stdout).toContain("1/1 proxies running");

  const detail = await home.run(["status", "--proxy", "fx"]);
  expect(detail.exitCode).toBe(0);
  expect(detail.stdout).toContain("  Requests: 12 (7 allowed, 3 denied, 2 hitl)\n");

  const json = JSON.parse((await home.run(["status", "--proxy", "fx", "--json"])).stdout) as Record<string, unknown>;
  expect(json["requests"]).toEqual({ total: 12, allowed: 7, denied: 3, hitl: 2 });
  expect(json["requests_unavailable"]).toBeUndefined();
  expect(json["stats"]).toMatchObject({ requests_total: "12", policy_eval: { count: "10", p50_ms: 0.05 } });
});
