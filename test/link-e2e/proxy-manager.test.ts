// Real proxies (`mcp-acp start`) attached to a real manager (`mcp-acp manager start
// --foreground`): registration, events up the link, dashboard presence routing HITL, an approval
// resolved through the Connect API, proxies surviving a manager kill and re-attaching to the next
// one, and a killed proxy shown as disconnected.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Client } from "@connectrpc/connect";
import { ApprovalAction } from "../../lib/gen/mcpacp/common/v1/approval_pb.ts";
import { EventType } from "../../lib/gen/mcpacp/common/v1/event_pb.ts";
import { ProxyStatus } from "../../lib/gen/mcpacp/common/v1/proxy_pb.ts";
import { ApprovalService } from "../../lib/gen/mcpacp/api/v1/approval_service_pb.ts";
import { type Event, EventService } from "../../lib/gen/mcpacp/api/v1/event_service_pb.ts";
import { ProxyService } from "../../lib/gen/mcpacp/api/v1/proxy_service_pb.ts";
import { apiSocketPath } from "../../lib/paths/index.ts";
import { AuditService } from "../../lib/gen/mcpacp/api/v1/audit_service_pb.ts";
import { AuditOverallStatus, AuditRepairAction } from "../../lib/gen/mcpacp/common/v1/audit_pb.ts";
import { readFileSync, writeFileSync } from "node:fs";
import { HIGH_LIMITS, logFile } from "../audit/support.ts";
import { call, controlClient, decisionFor, isErrorReply, replyText } from "../hitl/support.ts";
import { socketClient, spawnForegroundManager, until } from "../manager-e2e/support.ts";
import { BUN, ECHO_SERVER, ProxyHome, type RawProxy, toolCall } from "../proxy/support.ts";

const NAMES = ["alpha", "beta", "gamma"] as const;
let home: ProxyHome;
let manager: Bun.Subprocess | null = null;
const proxies = new Map<string, RawProxy>();

async function startManager(): Promise<void> {
  manager = await spawnForegroundManager(home.env(), home.paths);
}

async function killManager(): Promise<void> {
  manager?.kill("SIGKILL");
  await manager?.exited;
  manager = null;
}

const proxiesClient = (): Client<typeof ProxyService> => socketClient(ProxyService, apiSocketPath(home.paths));
const approvalsClient = (): Client<typeof ApprovalService> => socketClient(ApprovalService, apiSocketPath(home.paths));

async function statusOf(name: string): Promise<ProxyStatus | undefined> {
  const list = await proxiesClient().listProxies({});
  return list.proxies.find((p) => p.proxyName === name)?.status;
}

/** A dashboard-like subscriber on api.sock: collects every event until aborted. */
class Feed {
  readonly events: Event[] = [];
  private readonly abort = new AbortController();
  readonly done: Promise<void>;

  constructor() {
    const stream = socketClient(EventService, apiSocketPath(home.paths)).subscribe({}, { signal: this.abort.signal });
    this.done = (async () => {
      try {
        for await (const message of stream) if (message.event !== undefined) this.events.push(message.event);
      } catch {
        // aborted or the manager went away
      }
    })();
  }

  async waitFor(match: (e: Event) => boolean, what: string, timeoutMs = 15_000): Promise<Event> {
    let found: Event | undefined;
    await until(() => (found = this.events.find(match)) !== undefined, what, timeoutMs);
    return found as Event;
  }

  async close(): Promise<void> {
    this.abort.abort();
    await this.done;
  }
}

beforeAll(async () => {
  home = await ProxyHome.create();
  for (const name of NAMES) {
    home.addStdioProxy(name, BUN, [ECHO_SERVER], { limits: HIGH_LIMITS });
    home.writePolicy(name, [
      { id: "ask-echo", effect: "hitl", conditions: { tool_name: "echo" } },
      { id: "allow-progress", effect: "allow", conditions: { tool_name: "progress" } },
    ]);
  }
  await startManager();
  for (const name of NAMES) {
    const proxy = home.spawnProxy(name);
    await proxy.initialize();
    proxies.set(name, proxy);
  }
}, 60_000);

afterAll(async () => {
  await killManager();
  await home.remove();
});

function proxy(name: string): RawProxy {
  const p = proxies.get(name);
  if (p === undefined) throw new Error(`no proxy ${name}`);
  return p;
}

describe("proxies attached to the manager", () => {
  test("three real proxies attach and are listed as running with their control sockets", async () => {
    await until(async () => {
      const list = await proxiesClient().listProxies({});
      return NAMES.every((n) => list.proxies.find((p) => p.proxyName === n)?.status === ProxyStatus.RUNNING);
    }, "all three proxies to attach", 20_000);
    const info = await (await controlClient(home, "alpha")).getInfo({});
    expect(info.info?.managerAttached).toBe(true);
    // Nobody watches the dashboard: no approver.
    expect(info.info?.approverAvailable).toBe(false);
  }, 30_000);

  test("without a dashboard subscribed a hitl call is refused at once with no_approver", async () => {
    const reply = await call(proxy("alpha"), toolCall(1, "echo", { text: "nobody watches" }));
    expect(isErrorReply(reply)).toBe(true);
    expect(decisionFor(home, "alpha", 1)).toMatchObject({ hitl_outcome: "no_approver" });
  });

  test("a subscribed dashboard makes the proxy wait; the approval arrives on the feed and a resolve through the API lets the call through", async () => {
    const feed = new Feed();
    try {
      const control = await controlClient(home, "alpha");
      await until(async () => (await control.getInfo({})).info?.approverAvailable === true, "ui_status to reach the proxy");
      await proxy("alpha").send(toolCall(2, "echo", { text: "approve me via the API" }));
      const created = await feed.waitFor((e) => e.type === EventType.PENDING_CREATED && e.proxyName === "alpha", "pending_created on the feed");
      const approval = created.payload.case === "pendingCreated" ? created.payload.value.approval : undefined;
      expect(approval?.toolName).toBe("echo");
      const listed = await approvalsClient().listPending({});
      expect(listed.approvals.map((p) => p.id)).toContain(approval?.id ?? "-");

      await approvalsClient().resolvePending({
        proxy: "alpha",
        approvalId: approval?.id ?? "",
        action: ApprovalAction.ALLOW_ONCE,
        expectedArgumentsDigest: approval?.argumentsDigest ?? "",
        expectedPolicyVersion: approval?.policyVersion ?? "",
      });
      const reply = await proxy("alpha").next();
      expect(reply.id).toBe(2);
      expect(replyText(reply)).toBe("approve me via the API");
      await feed.waitFor((e) => e.type === EventType.PENDING_RESOLVED && e.proxyName === "alpha", "pending_resolved on the feed");
      expect(decisionFor(home, "alpha", 2)).toMatchObject({ hitl_outcome: "user_allowed", approval_id: approval?.id });
      // Stats and log growth follow the request.
      await feed.waitFor((e) => e.type === EventType.STATS_UPDATED && e.proxyName === "alpha", "stats_updated");
      await feed.waitFor((e) => e.type === EventType.NEW_LOG_ENTRIES && e.proxyName === "alpha", "new_log_entries");
      const seqs = feed.events.map((e) => Number(e.seq)).filter((s) => s > 0);
      expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    } finally {
      await feed.close();
    }
    const control = await controlClient(home, "alpha");
    await until(async () => (await control.getInfo({})).info?.approverAvailable === false, "the proxy to see the dashboard leave");
  }, 40_000);

  test("killing the manager leaves the proxies serving; a new manager sees them re-attach", async () => {
    await killManager();
    const reply = await call(proxy("beta"), toolCall(3, "progress", { steps: 1 }));
    expect(reply.id).toBe(3);
    expect(isErrorReply(reply)).toBe(false);
    await startManager();
    await until(async () => {
      const list = await proxiesClient().listProxies({});
      return NAMES.every((n) => list.proxies.find((p) => p.proxyName === n)?.status === ProxyStatus.RUNNING);
    }, "the proxies to re-attach to the new manager", 15_000);
  }, 40_000);

  test("a killed proxy is shown disconnected, with a proxy_disconnected event", async () => {
    const feed = new Feed();
    try {
      await proxy("gamma").kill();
      await feed.waitFor((e) => e.type === EventType.PROXY_DISCONNECTED && e.proxyName === "gamma", "proxy_disconnected for gamma");
      expect(await statusOf("gamma")).not.toBe(ProxyStatus.RUNNING);
      expect(await statusOf("alpha")).toBe(ProxyStatus.RUNNING);
    } finally {
      await feed.close();
    }
  }, 30_000);

  test("Repair through the API of an attached proxy whose trail was tampered with: the proxy fails closed, the manager repairs the released files", async () => {
    const path = logFile(home, "beta", "audit/decisions.jsonl");
    const [first, ...rest] = readFileSync(path, "utf8").split("\n");
    writeFileSync(path, [String(first).replace('"decision":"allow"', '"decision":"deny"'), ...rest].join("\n"));
    const audit = socketClient(AuditService, apiSocketPath(home.paths));
    const report = (await audit.repairAudit({ proxy: "beta" })).report;
    expect(report?.success).toBe(true);
    expect(report?.message).toStartWith("The proxy stopped (exit 10) because its audit trail was broken");
    expect(report?.files.find((f) => f.fileKey === "audit/decisions.jsonl")?.action).toBe(AuditRepairAction.BACKED_UP);
    expect(await proxy("beta").proc.exited).toBe(10);
    expect((await audit.verifyAudit({ proxy: "beta" })).report?.overallStatus).toBe(AuditOverallStatus.PASSED);
  }, 40_000);
});
