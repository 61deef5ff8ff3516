// AuditService over the real gateway socket, on real chained logs with a signed integrity state:
// offline verification and repair of a stopped proxy (under its writer lock), and what changes when
// the proxy runs.
import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import {
  IntegrityStateStore,
  auditKeyPath,
  createAuditKey,
  integrityStatePath,
  logFilePath,
  sealRecord,
  stateInputFromVerification,
  verifyFile,
  type ChainHead,
} from "../../lib/audit/index.ts";
import { loadManagerConfig, loadProxyConfig } from "../../lib/config/index.ts";
import { AuditService } from "../../lib/gen/mcpacp/api/v1/audit_service_pb.ts";
import { ProxyService } from "../../lib/gen/mcpacp/api/v1/proxy_service_pb.ts";
import { AuditFileStatus, AuditIssueCode, AuditOverallStatus, AuditRepairAction } from "../../lib/gen/mcpacp/common/v1/audit_pb.ts";
import { LogType } from "../../lib/gen/mcpacp/common/v1/log_pb.ts";
import { proxyLogDir } from "../../lib/paths/index.ts";
import { RpcCode, RpcError } from "../../lib/rpc/index.ts";
import { addProxy, attach, detachAll, failure, serveControl, stopControl, violationFields, type ApiHarness, startApiHarness } from "./support.ts";

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness();
});
afterAll(async () => {
  await h.close();
});

const audit = () => h.client(AuditService);
const DECISIONS = "audit/decisions.jsonl";

function logDirOf(name: string): string {
  return proxyLogDir(loadManagerConfig(h.paths).log_dir, name);
}

/** What a proxy leaves behind: a chained decisions log and its state row, signed with its key. */
function writeSignedChain(name: string, count: number, options: { sign?: boolean } = {}): string {
  const logDir = logDirOf(name);
  const path = logFilePath(logDir, DECISIONS);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  let head: ChainHead | null = null;
  for (let i = 1; i <= count; i++) {
    const sealed = sealRecord({ request_id: String(i), decision: "allow" }, head, { time: new Date(Date.UTC(2026, 0, 1, 0, 0, i)) });
    head = sealed.head;
    appendFileSync(path, sealed.line, { mode: 0o600 });
  }
  const key = options.sign === false ? undefined : createAuditKey(auditKeyPath(h.paths, name));
  const store = IntegrityStateStore.open(integrityStatePath(logDir), key === undefined ? {} : { macKey: key });
  try {
    const input = stateInputFromVerification(DECISIONS, verifyFile(path, { label: DECISIONS }));
    if (input !== null) store.put(input);
  } finally {
    store.close();
  }
  return path;
}

/** Edits the content of line `n` (1-based) without fixing its hash. */
function tamper(path: string, n: number): void {
  const lines = readFileSync(path, "utf8").split("\n");
  lines[n - 1] = (lines[n - 1] ?? "").replace('"decision":"allow"', '"decision":"deny"');
  writeFileSync(path, lines.join("\n"));
}

describe("a stopped proxy", () => {
  let path = "";
  beforeAll(() => {
    addProxy(h, "aud");
    path = writeSignedChain("aud", 5);
  });

  test("VerifyAudit: intact chain passes, per file status, verified offline", async () => {
    const { report } = await audit().verifyAudit({ proxy: "aud" });
    expect(report?.overallStatus).toBe(AuditOverallStatus.PASSED);
    expect(report?.verifiedByProxy).toBe(false);
    expect(report?.proxyId).toBe(loadProxyConfig(h.paths, "aud").proxy_id);
    const decisions = report?.files.find((f) => f.logType === LogType.DECISIONS);
    expect(decisions?.status).toBe(AuditFileStatus.PROTECTED);
    expect(decisions?.entryCount).toBe(5n);
    expect(decisions?.lastSequence).toBe(5n);
    expect(report?.files.find((f) => f.logType === LogType.AUTH)?.status).toBe(AuditFileStatus.NOT_CREATED);
    expect(report?.totalProtected).toBe(1);
    const only = await audit().verifyAudit({ proxy: "aud", logTypes: [LogType.DECISIONS] });
    expect(only.report?.files).toHaveLength(1);
  });

  test("VerifyAudit: a tampered line fails with its issue; the proxy list shows the verdict", async () => {
    tamper(path, 3);
    const { report } = await audit().verifyAudit({ proxy: "aud" });
    expect(report?.overallStatus).toBe(AuditOverallStatus.FAILED);
    const decisions = report?.files.find((f) => f.logType === LogType.DECISIONS);
    expect(decisions?.broken).toBe(true);
    expect(decisions?.status).toBe(AuditFileStatus.BROKEN);
    expect(decisions?.issues[0]).toMatchObject({ code: AuditIssueCode.ENTRY_HASH_MISMATCH, line: 3n });
    const listed = (await h.client(ProxyService).listProxies({})).proxies.find((p) => p.proxyName === "aud");
    expect(listed?.auditStatus).toBe(AuditOverallStatus.FAILED);
  });

  test("RepairAudit dry run reports the plan and changes nothing", async () => {
    const before = readFileSync(path, "utf8");
    const { report } = await audit().repairAudit({ proxy: "aud", dryRun: true });
    expect(report?.dryRun).toBe(true);
    expect(report?.files.find((f) => f.logType === LogType.DECISIONS)?.action).toBe(AuditRepairAction.BACKED_UP);
    expect(report?.message).toContain("Would reset 1 broken file(s)");
    expect(readFileSync(path, "utf8")).toBe(before);
  });

  test("RepairAudit backs the broken file up and starts afresh; the writer lock is released; verification then passes", async () => {
    const { report } = await audit().repairAudit({ proxy: "aud" });
    expect(report?.success).toBe(true);
    expect(report?.repairedByProxy).toBe(false);
    const decisions = report?.files.find((f) => f.logType === LogType.DECISIONS);
    expect(decisions?.action).toBe(AuditRepairAction.BACKED_UP);
    expect(decisions?.backupPath).toMatch(/decisions\.broken\.\d{4}-\d{2}-\d{2}_\d{6}\.jsonl$/);
    expect(existsSync(decisions?.backupPath ?? "")).toBe(true);
    expect(readFileSync(path, "utf8")).toBe("");
    expect(readdirSync(logDirOf("aud"))).not.toContain(".writer.lock");
    const after = (await audit().verifyAudit({ proxy: "aud" })).report;
    expect(after?.overallStatus).not.toBe(AuditOverallStatus.FAILED);
    expect(after?.files.find((f) => f.logType === LogType.DECISIONS)?.backups).toHaveLength(1);
  });

  test("RepairAudit rebuilds a state whose key was lost, signing it with a new key", async () => {
    addProxy(h, "keyless");
    writeSignedChain("keyless", 3);
    rmSync(auditKeyPath(h.paths, "keyless"));
    const { report } = await audit().repairAudit({ proxy: "keyless" });
    expect(report?.success).toBe(true);
    expect(report?.message).toContain("Rebuilt the integrity state");
    expect(report?.files.find((f) => f.logType === LogType.DECISIONS)?.action).toBe(AuditRepairAction.REPAIRED);
    expect(existsSync(auditKeyPath(h.paths, "keyless"))).toBe(true);
    const verified = (await audit().verifyAudit({ proxy: "keyless" })).report;
    expect(verified?.overallStatus).toBe(AuditOverallStatus.PASSED);
  });

  test("only the six chained logs can be named", async () => {
    const caught = await failure(audit().verifyAudit({ proxy: "aud", logTypes: [LogType.CLIENT_WIRE] }));
    expect(caught.code).toBe(Code.InvalidArgument);
    expect(violationFields(caught)).toEqual(["log_types[0]"]);
  });
});

describe("a running proxy", () => {
  beforeAll(() => {
    addProxy(h, "live");
    writeSignedChain("live", 2);
  });

  test("VerifyAudit is done by the proxy when it can, else offline and read-only", async () => {
    attach(h, "live", loadProxyConfig(h.paths, "live"));
    let server = await serveControl(h, "live", {
      verifyAudit: () => ({ report: { proxyName: "live", overallStatus: AuditOverallStatus.PASSED, verifiedByProxy: true } }),
    });
    try {
      expect((await audit().verifyAudit({ proxy: "live" })).report?.verifiedByProxy).toBe(true);
      await stopControl(h, server);
      server = await serveControl(h, "live", {
        verifyAudit: () => {
          throw new RpcError(RpcCode.UNIMPLEMENTED, "not yet");
        },
      });
      const offline = (await audit().verifyAudit({ proxy: "live" })).report;
      expect(offline?.verifiedByProxy).toBe(false);
      expect(offline?.overallStatus).toBe(AuditOverallStatus.PASSED);
    } finally {
      detachAll(h);
      await stopControl(h, server);
    }
  });

  test("RepairAudit is refused (FAILED_PRECONDITION PROXY_RUNNING) while the proxy cannot repair itself", async () => {
    attach(h, "live", loadProxyConfig(h.paths, "live"));
    const server = await serveControl(h, "live", {});
    try {
      const caught = await failure(audit().repairAudit({ proxy: "live" }));
      expect(caught.code).toBe(Code.FailedPrecondition);
      expect(caught.detail?.code).toBe("PROXY_RUNNING");
    } finally {
      detachAll(h);
      await stopControl(h, server);
    }
  });

  test("a headless proxy (not attached, holding its writer lock) is running too", async () => {
    const lock = join(logDirOf("live"), ".writer.lock");
    writeFileSync(lock, `${JSON.stringify({ pid: process.pid })}\n`);
    try {
      const caught = await failure(audit().repairAudit({ proxy: "live" }));
      expect(caught.detail?.code).toBe("PROXY_RUNNING");
      expect(caught.message).toContain("writer lock");
    } finally {
      rmSync(lock);
    }
  });
});
