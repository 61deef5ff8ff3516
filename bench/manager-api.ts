#!/usr/bin/env bun
// The real manager process (`mcp-acp manager start --foreground`) at rest and answering unary API
// calls. Memory: VmRSS once it answers, after IDLE_SECONDS without any traffic, and with three real
// proxies (`mcp-acp start`, echo backends) attached. Latency: GetStatus and ListProxies over the
// TCP port the dashboard's way (Connect JSON over HTTP/1.1, keep-alive, with the token cookie from
// a login-code exchange), against a trivial Bun.serve handler in its own process on loopback
// called with the same client, in alternating blocks. Prints one JSON line on stdout.
import { ManagerService } from "../lib/gen/mcpacp/api/v1/manager_service_pb.ts";
import { ProxyService } from "../lib/gen/mcpacp/api/v1/proxy_service_pb.ts";
import { ProxyStatus } from "../lib/gen/mcpacp/common/v1/proxy_pb.ts";
import { HIGH_LIMITS } from "../test/audit/support.ts";
import { until } from "../test/manager-e2e/support.ts";
import { BUN, ECHO_SERVER } from "../test/proxy/support.ts";
import { ManagerProcess, ProxyHome, rssMiB, tcpConnectClient, withTimeout } from "./_manager-support.ts";
import { logger, percentiles, round } from "./_proxy-support.ts";

const CALLS = Number(process.env.MANAGER_API_CALLS ?? 2000);
const IDLE_SECONDS = Number(process.env.MANAGER_API_IDLE_SECONDS ?? 10);
const PROXIES = ["alpha", "beta", "gamma"] as const;
const WARMUP = 200;
const BLOCK = 100;
const IDLE_RSS_TARGET_MIB = 80;
const log = logger("manager-api");

/** One round trip: POST a body, read the whole answer; a non-200 answer fails the bench. */
type RoundTrip = () => Promise<void>;

function connectUnary(baseUrl: string, service: string, method: string, cookie: string): RoundTrip {
  const url = `${baseUrl}/${service}/${method}`;
  const headers = { "content-type": "application/json", "connect-protocol-version": "1", cookie };
  return async () => {
    const response = await fetch(url, { method: "POST", headers, body: "{}" });
    const body = await response.text();
    if (response.status !== 200) throw new Error(`${method} answered HTTP ${response.status}: ${body.slice(0, 300)}`);
  };
}

/** A trivial Bun.serve handler in its own process (as the manager is): reads the body, answers {}. */
async function startBaselineServer(): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  const script = `const s = Bun.serve({ hostname: "127.0.0.1", port: 0, async fetch(req) { await req.text(); return Response.json({}); } }); console.log(s.port);`;
  const proc = Bun.spawn([BUN, "-e", script], { stdin: "ignore", stdout: "pipe", stderr: "inherit" });
  const reader = proc.stdout.getReader();
  const first = await withTimeout(reader.read(), 10_000);
  reader.releaseLock();
  const port = first?.value === undefined ? Number.NaN : Number(new TextDecoder().decode(first.value).trim());
  if (!Number.isInteger(port)) {
    proc.kill("SIGKILL");
    throw new Error("the baseline Bun.serve process did not print its port");
  }
  return {
    url: `http://127.0.0.1:${port}/baseline`,
    pid: proc.pid,
    async stop() {
      proc.kill("SIGKILL");
      await proc.exited;
    },
  };
}

async function time(call: RoundTrip, n: number, into: number[]): Promise<void> {
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    await call();
    into.push(performance.now() - start);
  }
}

/** Warms every call up, then runs them in alternating blocks so machine noise hits all alike. */
async function compare(calls: Record<string, RoundTrip>): Promise<Record<string, number[]>> {
  const samples: Record<string, number[]> = {};
  for (const [name, call] of Object.entries(calls)) {
    await time(call, WARMUP, []);
    samples[name] = [];
  }
  for (let done = 0; done < CALLS; done += BLOCK) {
    const n = Math.min(BLOCK, CALLS - done);
    for (const [name, call] of Object.entries(calls)) await time(call, n, samples[name] ?? []);
  }
  return samples;
}

async function attachProxies(home: ProxyHome, manager: ManagerProcess): Promise<void> {
  for (const name of PROXIES) {
    home.addStdioProxy(name, BUN, [ECHO_SERVER], { limits: HIGH_LIMITS });
    home.writePolicy(name, [{ id: "allow-echo", effect: "allow", conditions: { tool_name: "echo" } }]);
  }
  await Promise.all(PROXIES.map((name) => home.spawnProxy(name).initialize()));
  const proxies = manager.api(ProxyService);
  await until(
    async () => {
      const list = await proxies.listProxies({});
      return PROXIES.every((n) => list.proxies.find((p) => p.proxyName === n)?.status === ProxyStatus.RUNNING);
    },
    "three proxies to attach",
    30_000,
  );
}

const home = await ProxyHome.create();
let manager: ManagerProcess | undefined;
let baselineServer: Awaited<ReturnType<typeof startBaselineServer>> | undefined;
try {
  manager = await ManagerProcess.start(home);
  const rssStartup = manager.rssMiB();
  log(`manager pid ${manager.pid}: ${rssStartup} MiB once it answers; idling ${IDLE_SECONDS} s`);
  await Bun.sleep(IDLE_SECONDS * 1000);
  const rssIdle = manager.rssMiB();

  log(`attaching ${PROXIES.length} proxies`);
  await attachProxies(home, manager);
  await Bun.sleep(2000);
  const rssWithProxies = manager.rssMiB();

  const cookie = await manager.tokenCookie();
  baselineServer = await startBaselineServer();
  const baselineUrl = baselineServer.url;
  const getStatus = connectUnary(manager.baseUrl, ManagerService.typeName, ManagerService.method.getStatus.name, cookie);
  const listProxies = connectUnary(manager.baseUrl, ProxyService.typeName, ProxyService.method.listProxies.name, cookie);
  const bare: RoundTrip = async () => {
    const response = await fetch(baselineUrl, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    await response.text();
  };
  // The same calls through the typed Connect client the CLI tools would use (connect-node).
  const typedManager = tcpConnectClient(ManagerService, manager.baseUrl, cookie);
  const typedProxies = tcpConnectClient(ProxyService, manager.baseUrl, cookie);
  const status = await typedManager.getStatus({});
  if (status.attachedProxies.length !== PROXIES.length) throw new Error(`GetStatus lists ${status.attachedProxies.length} attached proxies, expected ${PROXIES.length}`);

  log(`${CALLS} × GetStatus, ListProxies, bare Bun.serve (fetch) and the two through the typed client, in blocks of ${BLOCK}`);
  const samples = await compare({
    getStatus,
    listProxies,
    baseline: bare,
    typedGetStatus: async () => void (await typedManager.getStatus({})),
    typedListProxies: async () => void (await typedProxies.listProxies({})),
  });
  const rssAfterCalls = manager.rssMiB();
  const rssBareServer = rssMiB(baselineServer.pid);
  const p = (name: string) => percentiles(samples[name] ?? []);
  const base = p("baseline");
  const ratio = (a: number, b: number): number => Math.round((a / b) * 100) / 100;
  const unary = (name: string) => {
    const q = p(name);
    return { ...q, ratio_p50: ratio(q.p50_ms, base.p50_ms), overhead_p50_ms: round(q.p50_ms - base.p50_ms) };
  };

  process.stdout.write(
    `${JSON.stringify({
      bench: "manager-api",
      memory: {
        unit: "MiB (VmRSS of the manager process)",
        rss_startup: rssStartup,
        rss_idle: rssIdle,
        idle_seconds: IDLE_SECONDS,
        rss_with_3_proxies: rssWithProxies,
        rss_after_calls: rssAfterCalls,
        rss_bare_bun_serve: rssBareServer,
        rss_bare_bun_serve_note: "the baseline Bun.serve process after the same calls: what the Bun runtime alone takes",
        target_idle_rss: IDLE_RSS_TARGET_MIB,
        meets_target_idle_rss: rssIdle <= IDLE_RSS_TARGET_MIB,
      },
      unary: {
        transport: "Connect JSON over HTTP/1.1 keep-alive on 127.0.0.1:<port>, token cookie; fetch() client; 3 proxies attached",
        calls: CALLS,
        get_status: unary("getStatus"),
        list_proxies: unary("listProxies"),
        baseline: {
          what: "POST {} to a trivial Bun.serve handler (reads the body, answers {}) in its own process on loopback, same fetch() client",
          ...base,
        },
        typed_client: {
          what: "the same calls through createConnectTransport (connect-node, HTTP/1.1), as CLI tools would make them",
          get_status: unary("typedGetStatus"),
          list_proxies: unary("typedListProxies"),
        },
      },
    })}\n`,
  );
} finally {
  await baselineServer?.stop();
  await manager?.stop();
  await home.remove();
}
