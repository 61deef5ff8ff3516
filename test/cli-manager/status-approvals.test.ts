// `mcp-acp status` and `mcp-acp approvals …` with a real manager (`manager start --foreground`)
// and two real proxies: "att" attached to it, "solo" running --headless. While the manager runs
// the attached proxy is answered for by the manager (via: "manager") and the headless one over its
// control socket; with the manager's api.sock gone the commands say so in one line and use the
// control sockets; with the manager stopped they use the control sockets without a word.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { renameSync } from "node:fs";
import { EventService } from "../../lib/gen/mcpacp/api/v1/event_service_pb.ts";
import { ProxyService } from "../../lib/gen/mcpacp/api/v1/proxy_service_pb.ts";
import { ProxyStatus } from "../../lib/gen/mcpacp/common/v1/proxy_pb.ts";
import { apiSocketPath } from "../../lib/paths/index.ts";
import { controlClient, decisionFor, replyText, Watcher } from "../hitl/support.ts";
import { socketClient, spawnForegroundManager, until } from "../manager-e2e/support.ts";
import { BUN, ECHO_SERVER, ProxyHome, type RawProxy, toolCall } from "../proxy/support.ts";

let home: ProxyHome;
let manager: Bun.Subprocess | null = null;
let att: RawProxy;
let solo: RawProxy;

interface StatusJson {
  proxies: Record<string, unknown>[];
  running: number;
  total: number;
}

interface ListJson {
  approvals: { id: string; proxy_name: string; tool_name: string }[];
  proxies: Record<string, unknown>[];
}

async function startManager(): Promise<void> {
  manager = await spawnForegroundManager(home.env(), home.paths);
}

async function stopManager(): Promise<void> {
  manager?.kill("SIGTERM");
  await manager?.exited;
  manager = null;
}

const proxies = () => socketClient(ProxyService, apiSocketPath(home.paths));

async function json<T>(args: string[]): Promise<{ doc: T; stderr: string }> {
  const r = await home.run(args);
  if (r.exitCode !== 0) throw new Error(`mcp-acp ${args.join(" ")} exited ${r.exitCode}: ${r.stderr}`);
  return { doc: JSON.parse(r.stdout) as T, stderr: r.stderr };
}

/** Waits until `approvals list --json` shows an approval of `proxy`; returns the listing and the id. */
async function pendingListed(proxy: string): Promise<{ list: ListJson; id: string; stderr: string }> {
  let found: { list: ListJson; id: string; stderr: string } | undefined;
  await until(
    async () => {
      const { doc, stderr } = await json<ListJson>(["approvals", "list", "--json"]);
      const approval = doc.approvals.find((a) => a.proxy_name === proxy);
      if (approval !== undefined) found = { list: doc, id: approval.id, stderr };
      return found !== undefined;
    },
    `a pending approval of '${proxy}' in 'approvals list'`,
    15_000,
  );
  if (found === undefined) throw new Error("unreachable: until() returned without a listing");
  return found;
}

/** A dashboard-like Subscribe on api.sock: the manager's proxies then wait for a human. */
function subscribe(): { close(): Promise<void> } {
  const abort = new AbortController();
  const done = (async () => {
    try {
      for await (const _ of socketClient(EventService, apiSocketPath(home.paths)).subscribe({}, { signal: abort.signal })) {
        // only the open stream matters
      }
    } catch {
      // aborted
    }
  })();
  return {
    close: async () => {
      abort.abort();
      await done;
    },
  };
}

beforeAll(async () => {
  home = await ProxyHome.create();
  for (const name of ["att", "solo"]) {
    home.addStdioProxy(name, BUN, [ECHO_SERVER]);
    home.writePolicy(name, [{ id: "ask-echo", effect: "hitl", conditions: { tool_name: "echo" } }]);
  }
  await startManager();
  att = home.spawnProxy("att");
  solo = home.spawnProxy("solo", ["--headless"]);
  await att.initialize();
  await solo.initialize();
  await home.waitForControlSocket("solo");
  await until(async () => (await proxies().listProxies({})).proxies.find((p) => p.proxyName === "att")?.status === ProxyStatus.RUNNING, "'att' to attach", 20_000);
}, 60_000);

afterAll(async () => {
  await stopManager();
  await att?.kill();
  await solo?.kill();
  await home.remove();
});

describe("with the manager running", () => {
  test("status: the attached proxy through the manager, the headless one over its socket; both running", async () => {
    const { doc, stderr } = await json<StatusJson>(["status", "--json"]);
    expect(stderr).toBe("");
    expect(doc.running).toBe(2);
    expect(doc.total).toBe(2);
    expect(doc.proxies.map((p) => [p["name"], p["running"], p["via"], p["manager_attached"]])).toEqual([
      ["att", true, "manager", true],
      ["solo", true, "control_socket", false],
    ]);
    expect(doc.proxies[0]).toMatchObject({ pid: att.pid, socket: home.socketPath("att"), policy: { rules: 1 }, backend: { transport: "stdio", connected: true } });
    expect(doc.proxies[0]?.["requests"]).toMatchObject({ total: expect.any(Number) });

    const text = await home.run(["status"]);
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toMatch(/\natt +running +\d+s +\S+ \(1 rule\) +stdio: /);
    expect(text.stdout).toMatch(/\nsolo +running +\d+s /);
    expect(text.stdout).toContain("2/2 proxies running\n");

    const detail = await json<Record<string, unknown>>(["status", "--proxy", "att", "--json"]);
    expect(detail.doc).toMatchObject({ name: "att", running: true, pid: att.pid, via: "manager", client: { name: "raw-e2e" } });
    const headless = await json<Record<string, unknown>>(["status", "--proxy", "solo", "--json"]);
    expect(headless.doc).toMatchObject({ name: "solo", running: true, pid: solo.pid, via: "control_socket", manager_attached: false });
  }, 30_000);

  test("approvals list shows the attached proxy's approval via the manager; approve resolves it there and the call completes", async () => {
    const dashboard = subscribe();
    try {
      const control = await controlClient(home, "att");
      await until(async () => (await control.getInfo({})).info?.approverAvailable === true, "the subscription to reach 'att'");
      await att.send(toolCall(1, "echo", { text: "through the manager" }));
      const { list, id, stderr } = await pendingListed("att");
      expect(stderr).toBe("");
      expect(list.approvals.find((a) => a.id === id)?.tool_name).toBe("echo");
      expect(list.proxies).toEqual([
        { name: "att", running: true, via: "manager" },
        { name: "solo", running: true },
      ]);

      const text = await home.run(["approvals", "list"]);
      expect(text.stdout).toContain(`${id}  proxy 'att'`);

      const r = await home.run(["approvals", "approve", id, "--json"]);
      expect(r.stderr).toBe("");
      expect(r.exitCode).toBe(0);
      const doc = JSON.parse(r.stdout) as { proxy: string; via: string; resolution: Record<string, unknown> };
      expect(doc).toMatchObject({ proxy: "att", via: "manager", resolution: { approval_id: id, outcome: "APPROVAL_OUTCOME_ALLOWED_ONCE" } });
      const reply = await att.next(15_000);
      expect(reply.id).toBe(1);
      expect(replyText(reply)).toBe("through the manager");
      expect(decisionFor(home, "att", 1)).toMatchObject({ hitl_outcome: "user_allowed", approval_id: id });

      // A second decision about the same id finds nothing pending, through the manager as well.
      const again = await home.run(["approvals", "deny", id]);
      expect(again.exitCode).toBe(1);
      expect(again.stderr).toContain(`No pending approval with id ${id} on any running proxy (asked 'att', 'solo').`);
    } finally {
      await dashboard.close();
    }
  }, 60_000);

  test("approvals cache list/clear ask the manager for the attached proxy and the socket for the headless one", async () => {
    const listed = await json<{ proxies: Record<string, unknown>[] }>(["approvals", "cache", "list", "--json"]);
    expect(listed.stderr).toBe("");
    expect(listed.doc.proxies.map((p) => [p["name"], p["via"] ?? null, p["ttl_seconds"]])).toEqual([
      ["att", "manager", 600],
      ["solo", null, 600],
    ]);
    const cleared = await json<{ proxies: Record<string, unknown>[] }>(["approvals", "cache", "clear", "--json"]);
    expect(cleared.doc).toEqual({ proxies: [{ name: "att", cleared: 0, via: "manager" }, { name: "solo", cleared: 0 }] });
  }, 30_000);

  test("a manager whose api.sock does not answer: one line on stderr, the control sockets answer", async () => {
    const socket = apiSocketPath(home.paths);
    const aside = `${socket}.aside`;
    renameSync(socket, aside);
    try {
      const r = await home.run(["status", "--json"]);
      expect(r.exitCode).toBe(0);
      const lines = r.stderr.split("\n").filter((l) => l !== "");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toStartWith(`The manager (${socket}) could not list the proxies (`);
      expect(lines[0]).toEndWith("asking the proxies' control sockets instead.");
      const doc = JSON.parse(r.stdout) as StatusJson;
      expect(doc.proxies.map((p) => [p["name"], p["running"], p["via"]])).toEqual([
        ["att", true, "control_socket"],
        ["solo", true, "control_socket"],
      ]);

      const list = await home.run(["approvals", "list", "--json"]);
      expect(list.exitCode).toBe(0);
      expect(list.stderr.split("\n").filter((l) => l !== "")).toHaveLength(1);
      expect((JSON.parse(list.stdout) as ListJson).proxies).toEqual([
        { name: "att", running: true },
        { name: "solo", running: true },
      ]);
    } finally {
      renameSync(aside, socket);
    }
  }, 30_000);
});

describe("with the manager stopped", () => {
  beforeAll(async () => {
    await stopManager();
  }, 20_000);

  test("status shows both proxies running over their control sockets, without a word on stderr", async () => {
    const r = await home.run(["status", "--json"]);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe("");
    const doc = JSON.parse(r.stdout) as StatusJson;
    expect(doc).toMatchObject({ running: 2, total: 2 });
    expect(doc.proxies.map((p) => [p["name"], p["running"], p["via"]])).toEqual([
      ["att", true, "control_socket"],
      ["solo", true, "control_socket"],
    ]);
  }, 20_000);

  test("approvals list and approve work over the control sockets", async () => {
    const watcher = await Watcher.start(home, "att");
    try {
      await att.send(toolCall(2, "echo", { text: "over the socket" }));
      const { list, id, stderr } = await pendingListed("att");
      expect(stderr).toBe("");
      expect(list.proxies).toEqual([
        { name: "att", running: true },
        { name: "solo", running: true },
      ]);
      const r = await home.run(["approvals", "approve", id, "--json"]);
      expect(r.stderr).toBe("");
      expect(r.exitCode).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ proxy: "att", via: "control_socket", resolution: { approval_id: id, outcome: "APPROVAL_OUTCOME_ALLOWED_ONCE" } });
      const reply = await att.next(15_000);
      expect(reply.id).toBe(2);
      expect(replyText(reply)).toBe("over the socket");
      expect(decisionFor(home, "att", 2)).toMatchObject({ hitl_outcome: "user_allowed", approval_id: id });
    } finally {
      await watcher.kill();
    }
  }, 60_000);
});
