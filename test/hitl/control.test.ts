// The rest of ProxyControl on a real proxy: the one local auth session, the running config
// compared with config.json on disk, audit verification inside the writing proxy, and the RPCs
// this version does not offer (repair inside the writer, OIDC login/logout notifications).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { loadProxyConfig, writeProxyConfig } from "../../lib/config/index.ts";
import { AuditFileStatus, AuditOverallStatus } from "../../lib/gen/mcpacp/common/v1/audit_pb.ts";
import { LogType } from "../../lib/gen/mcpacp/common/v1/log_pb.ts";
import { RpcCode, RpcError } from "../../lib/rpc/index.ts";
import { osUsername } from "../../services/proxy/runtime/os-user.ts";
import { addEchoProxy } from "../audit/support.ts";
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

  test("RepairAudit, NotifyLogin and NotifyLogout are not offered by this version", async () => {
    for (const pending of [client.repairAudit({ dryRun: true }), client.notifyLogin({}), client.notifyLogout({})]) {
      expect((await failure(pending)).code).toBe(RpcCode.UNIMPLEMENTED);
    }
  });
});
