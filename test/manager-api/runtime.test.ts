// ApprovalService and RuntimeService forwarding over the real gateway socket to real ProxyControl
// servers: proxy selection with 0, 1 and 2+ attached proxies, unknown and stopped proxies, a dead
// socket, error mapping and the approver sent along.
import { Code } from "@connectrpc/connect";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { ApprovalService } from "../../lib/gen/mcpacp/api/v1/approval_service_pb.ts";
import { RuntimeService } from "../../lib/gen/mcpacp/api/v1/runtime_service_pb.ts";
import { ApprovalAction, ApprovalChannel, ApprovalOutcome, type Approver } from "../../lib/gen/mcpacp/common/v1/approval_pb.ts";
import { loadProxyConfig, type ProxyConfig } from "../../lib/config/index.ts";
import { RpcCode, RpcError } from "../../lib/rpc/index.ts";
import { addProxy, attach, detachAll, failure, serveControl, type ApiHarness, startApiHarness } from "./support.ts";

let h: ApiHarness;
let one: ProxyConfig;
let two: ProxyConfig;
const approvers: Approver[] = [];

beforeAll(async () => {
  h = await startApiHarness({ controlTimeoutMs: 1500 });
  one = addProxy(h, "one");
  two = addProxy(h, "two");
  addProxy(h, "stopped");
  addProxy(h, "stuck");
  await serveControl(h, "stuck", {
    // Never answers: the call ends only when the manager's deadline cancels it.
    getControlStatus: (_req, ctx) =>
      new Promise((_resolve, reject) => ctx.signal.addEventListener("abort", () => reject(new RpcError(RpcCode.CANCELLED, "cancelled")))),
  });
  await serveControl(h, "one", {
    listPending: () => ({ approvals: [{ id: "1111111111111111", toolName: "write_file", createdAt: { seconds: 20n, nanos: 0 } }] }),
    listCached: () => ({ cached: { ttlSeconds: 600, approvals: [{ subjectId: "alice", toolName: "read_file" }] } }),
    clearCached: () => ({ cleared: 4 }),
    deleteCached: (req) => {
      if (req.toolName !== "read_file") throw new RpcError(RpcCode.NOT_FOUND, `no cached approval for ${req.toolName}`);
      return { deleted: { subjectId: req.subjectId, toolName: req.toolName } };
    },
    resolvePending: (req) => {
      if (req.approver !== undefined) approvers.push(req.approver);
      if (req.approvalId !== "1111111111111111") throw new RpcError(RpcCode.NOT_FOUND, `approval ${req.approvalId} is not pending`);
      if (req.expectedPolicyVersion !== "v3") throw new RpcError(RpcCode.FAILED_PRECONDITION, "the policy changed since you saw the approval");
      return { resolution: { approvalId: req.approvalId, action: req.action, outcome: ApprovalOutcome.ALLOWED_ONCE, approver: req.approver } };
    },
    getControlStatus: () => ({ status: { running: true, policyVersion: "v3", reloadCount: 2 } }),
    getStats: () => {
      throw new RpcError(RpcCode.UNIMPLEMENTED, "GetStats is not implemented");
    },
  });
  await serveControl(h, "two", {
    listPending: () => ({ approvals: [{ id: "2222222222222222", toolName: "delete_file", createdAt: { seconds: 10n, nanos: 0 } }] }),
    getControlStatus: () => ({ status: { running: true, policyVersion: "v9" } }),
  });
});
afterEach(() => detachAll(h));
afterAll(async () => {
  await h.close();
});

const approvals = () => h.client(ApprovalService);
const runtime = () => h.client(RuntimeService);

describe("proxy selection", () => {
  test("no proxy attached: an empty proxy field is UNAVAILABLE", async () => {
    const caught = await failure(runtime().getControlStatus({}));
    expect(caught.code).toBe(Code.Unavailable);
    expect(caught.detail?.code).toBe("PROXY_UNAVAILABLE");
    expect((await approvals().listPending({})).approvals).toEqual([]);
  });

  test("one proxy attached: an empty proxy field routes to it", async () => {
    attach(h, "two", two);
    expect((await runtime().getControlStatus({})).status?.policyVersion).toBe("v9");
    expect((await approvals().listPending({})).approvals.map((a) => a.id)).toEqual(["2222222222222222"]);
  });

  test("two proxies attached: an empty proxy field is FAILED_PRECONDITION listing them; a name or id routes", async () => {
    attach(h, "one", one);
    attach(h, "two", two);
    const caught = await failure(runtime().getControlStatus({}));
    expect(caught.code).toBe(Code.FailedPrecondition);
    expect(caught.detail?.code).toBe("PROXY_AMBIGUOUS");
    expect(caught.detail?.details.available).toBe("one,two");
    expect((await runtime().getControlStatus({ proxy: "one" })).status?.policyVersion).toBe("v3");
    expect((await runtime().getControlStatus({ proxy: two.proxy_id })).status?.policyVersion).toBe("v9");
  });

  test("ListPending without a proxy merges every attached proxy, oldest first, each naming its proxy", async () => {
    attach(h, "one", one);
    attach(h, "two", two);
    const list = await approvals().listPending({});
    expect(list.approvals.map((a) => [a.id, a.proxyName, a.proxyId])).toEqual([
      ["2222222222222222", "two", two.proxy_id],
      ["1111111111111111", "one", one.proxy_id],
    ]);
  });

  test("an unknown proxy is NOT_FOUND; a configured but stopped one UNAVAILABLE PROXY_NOT_RUNNING", async () => {
    attach(h, "one", one);
    let caught = await failure(approvals().listCached({ proxy: "nobody" }));
    expect(caught.code).toBe(Code.NotFound);
    expect(caught.detail?.code).toBe("PROXY_NOT_FOUND");
    caught = await failure(approvals().listCached({ proxy: "stopped" }));
    expect(caught.code).toBe(Code.Unavailable);
    expect(caught.detail?.code).toBe("PROXY_NOT_RUNNING");
  });

  test("a proxy that does not answer within the deadline is DEADLINE_EXCEEDED", async () => {
    attach(h, "stuck", loadProxyConfig(h.paths, "stuck"));
    const caught = await failure(runtime().getControlStatus({ proxy: "stuck" }));
    expect(caught.code).toBe(Code.DeadlineExceeded);
    expect(caught.detail?.code).toBe("DEADLINE_EXCEEDED");
  });

  test("an attached proxy whose socket is gone is UNAVAILABLE", async () => {
    attach(h, "stopped", loadProxyConfig(h.paths, "stopped"));
    const caught = await failure(runtime().getControlStatus({ proxy: "stopped" }));
    expect(caught.code).toBe(Code.Unavailable);
    expect(caught.detail?.code).toBe("PROXY_UNAVAILABLE");
    expect(caught.detail?.details.proxy).toBe("stopped");
  });
});

describe("approvals", () => {
  test("ResolvePending sends the caller as the approver and returns the resolution", async () => {
    attach(h, "one", one);
    const resolved = await approvals().resolvePending({ approvalId: "1111111111111111", action: ApprovalAction.ALLOW_ONCE, expectedPolicyVersion: "v3" });
    expect(resolved.resolution?.outcome).toBe(ApprovalOutcome.ALLOWED_ONCE);
    expect(approvers.at(-1)).toMatchObject({ subjectId: "alice", displayName: "Alice", channel: ApprovalChannel.DASHBOARD });
  });

  test("proxy refusals keep their class and get the approval codes", async () => {
    attach(h, "one", one);
    let caught = await failure(approvals().resolvePending({ approvalId: "ffffffffffffffff", action: ApprovalAction.DENY }));
    expect(caught.code).toBe(Code.NotFound);
    expect(caught.detail?.code).toBe("APPROVAL_NOT_FOUND");
    caught = await failure(approvals().resolvePending({ approvalId: "1111111111111111", action: ApprovalAction.DENY, expectedPolicyVersion: "v2" }));
    expect(caught.code).toBe(Code.FailedPrecondition);
    expect(caught.detail?.code).toBe("APPROVAL_STALE");
    caught = await failure(approvals().resolvePending({ approvalId: "1111111111111111", action: ApprovalAction.UNSPECIFIED }));
    expect(caught.code).toBe(Code.InvalidArgument);
  });

  test("without an identity a resolution is UNAUTHENTICATED", async () => {
    attach(h, "one", one);
    const saved = h.approver;
    h.approver = null;
    try {
      const caught = await failure(approvals().resolvePending({ approvalId: "1111111111111111", action: ApprovalAction.DENY }));
      expect(caught.code).toBe(Code.Unauthenticated);
    } finally {
      h.approver = saved;
    }
  });

  test("the approval cache: list, clear, delete one (NOT_FOUND CACHED_APPROVAL_NOT_FOUND when absent)", async () => {
    attach(h, "one", one);
    expect((await approvals().listCached({})).cached?.approvals.map((a) => a.toolName)).toEqual(["read_file"]);
    expect((await approvals().clearCached({})).cleared).toBe(4);
    expect((await approvals().deleteCached({ subjectId: "alice", toolName: "read_file" })).deleted?.toolName).toBe("read_file");
    const caught = await failure(approvals().deleteCached({ subjectId: "alice", toolName: "write_file" }));
    expect(caught.code).toBe(Code.NotFound);
    expect(caught.detail?.code).toBe("CACHED_APPROVAL_NOT_FOUND");
  });

  test("an RPC the proxy does not implement is UNIMPLEMENTED", async () => {
    attach(h, "one", one);
    const caught = await failure(runtime().getStats({ proxy: "one" }));
    expect(caught.code).toBe(Code.Unimplemented);
    expect(caught.message).toContain("does not support GetStats");
  });
});
