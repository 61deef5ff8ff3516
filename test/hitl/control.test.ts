// The rest of ProxyControl on a real proxy: the one local auth session, the running config
// compared with config.json on disk, audit verification and repair inside the writing proxy, and
// the login/logout notifications under local identity.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { loadProxyConfig, writeProxyConfig } from "../../lib/config/index.ts";
import { AuditFileStatus, AuditOverallStatus, AuditRepairAction } from "../../lib/gen/mcpacp/common/v1/audit_pb.ts";
import { LogType } from "../../lib/gen/mcpacp/common/v1/log_pb.ts";
import { RpcCode, RpcError } from "../../lib/rpc/index.ts";
import { osUsername } from "../../services/proxy/runtime/os-user.ts";
import { readFileSync, writeFileSync } from "node:fs";
import { addEchoProxy, logFile } from "../audit/support.ts";
import { ProxyHome, type RawProxy, toolCall } from "../proxy/support.ts";
import { call, type ControlClient, controlClient, replyText } from "./support.ts";

const NAME = "ctl";
let home: ProxyHome;
let proxy: RawProxy;
let client: ControlClient;

beforeAll(async () => {
  home = await ProxyHome.create();
  addEchoProxy(home, NAME);
  proxy = home.spawnProxy(NAME);
  await proxy.initialize();
  client = await controlClient(home, NAME);
  expect(replyText(await call(proxy, toolCall(1, "echo", { text: "something to audit" })))).toBe("something to audit");
}, 30_000);

afterAll(async () => {
  await home.remove();
});

async function failure(promise: Promise<unknown>): Promise<RpcError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof RpcError)) throw new Error(`expected an RpcError, got ${String(error)}`);
  return error;
}

describe("ProxyControl", () => {
  test("ListAuthSessions: the one local session of this run", async () => {
    const { sessions } = await client.listAuthSessions({});
    expect(sessions.length).toBe(1);
    expect(sessions[0]).toMatchObject({ subjectId: osUsername(), provenance: "local" });
    expect(sessions[0]?.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(sessions[0]?.startedAt).toBeDefined();
  });

  test("CompareConfig: no changes, then the changed field after config.json is edited", async () => {
    const same = (await client.compareConfig({})).comparison;
    expect(same?.hasChanges).toBe(false);
    expect(same?.changes).toEqual([]);
    expect(same?.message).toContain("matches");

    const saved = loadProxyConfig(home.paths, NAME);
    writeProxyConfig(home.paths, NAME, { ...saved, hitl: { ...saved.hitl, timeout_seconds: 120 } });
    const changed = (await client.compareConfig({})).comparison;
    expect(changed?.hasChanges).toBe(true);
    expect(changed?.changes.map((c) => c.field)).toEqual(["hitl.timeout_seconds"]);
    expect(changed?.changes[0]?.runningValue?.kind).toEqual({ case: "numberValue", value: 60 });
    expect(changed?.changes[0]?.savedValue?.kind).toEqual({ case: "numberValue", value: 120 });
    expect(changed?.runningConfig?.hitl?.timeoutSeconds).toBe(60);
    expect(changed?.savedConfig?.hitl?.timeoutSeconds).toBe(120);
    expect(changed?.message).toContain("restart proxy 'ctl'");
    writeProxyConfig(home.paths, NAME, saved);
  });

  test("VerifyAudit: the running proxy verifies its own chains (all six, or the ones asked for)", async () => {
    const report = (await client.verifyAudit({})).report;
    expect(report?.verifiedByProxy).toBe(true);
    expect(report?.proxyName).toBe(NAME);
    expect(report?.overallStatus).toBe(AuditOverallStatus.PASSED);
    expect(report?.files.length).toBe(6);
    expect(report?.totalBroken).toBe(0);
    const decisions = report?.files.find((f) => f.logType === LogType.DECISIONS);
    expect(decisions?.status).toBe(AuditFileStatus.PROTECTED);
    expect(decisions?.entryCount).toBeGreaterThanOrEqual(2n);

    const one = (await client.verifyAudit({ logTypes: [LogType.DECISIONS] })).report;
    expect(one?.files.map((f) => f.fileKey)).toEqual(["audit/decisions.jsonl"]);

    const wire = await failure(client.verifyAudit({ logTypes: [LogType.CLIENT_WIRE] }));
    expect(wire.code).toBe(RpcCode.INVALID_ARGUMENT);
    expect(wire.message).toContain("log_types[0]");
  });

  test("RepairAudit inside an intact running proxy changes nothing and says so; the proxy keeps serving", async () => {
    for (const dryRun of [true, false]) {
      const report = (await client.repairAudit({ dryRun })).report;
      expect(report).toMatchObject({ success: true, message: "No files needed repair.", repairedByProxy: true, dryRun });
      expect(report?.files.map((f) => f.action)).toEqual(report?.files.map(() => AuditRepairAction.NO_ACTION) ?? []);
    }
    expect(replyText(await call(proxy, toolCall(3, "echo", { text: "still serving" })))).toBe("still serving");
  });

  test("NotifyLogin is refused under local identity; NotifyLogout has no token session to end", async () => {
    const login = await failure(client.notifyLogin({}));
    expect(login.code).toBe(RpcCode.FAILED_PRECONDITION);
    expect(login.message).toContain(`local identity (the OS user '${osUsername()}')`);
    expect((await client.notifyLogout({})).sessionEnded).toBe(false);
  });
});

describe("RepairAudit of a running proxy whose trail was tampered with", () => {
  test("the proxy fails closed (ABORTED, PROXY_STOPPING_FOR_REPAIR, exit 10) and the stopped proxy's files repair offline", async () => {
    const name = "broken";
    addEchoProxy(home, name);
    const running = home.spawnProxy(name);
    await running.initialize();
    expect(replyText(await call(running, toolCall(1, "echo", { text: "an entry" })))).toBe("an entry");
    const control = await controlClient(home, name);
    const path = logFile(home, name, "audit/decisions.jsonl");
    const [first, ...rest] = readFileSync(path, "utf8").split("\n");
    writeFileSync(path, [String(first).replace('"decision":"allow"', '"decision":"deny"'), ...rest].join("\n"));

    const dry = (await control.repairAudit({ dryRun: true })).report;
    expect(dry?.dryRun).toBe(true);
    expect(dry?.files.find((f) => f.fileKey === "audit/decisions.jsonl")?.action).toBe(AuditRepairAction.BACKED_UP);

    const refused = await failure(control.repairAudit({ dryRun: false }));
    expect(refused.code).toBe(RpcCode.ABORTED);
    expect(refused.metadata["mcp-acp-reason"]).toEqual(["PROXY_STOPPING_FOR_REPAIR"]);
    expect(await running.proc.exited).toBe(10);

    const repair = await home.run(["audit", "repair", "--proxy", name, "--yes"]);
    expect(repair.exitCode).toBe(0);
    expect((await home.run(["audit", "verify", "--proxy", name])).exitCode).toBe(0);
  }, 40_000);
});
