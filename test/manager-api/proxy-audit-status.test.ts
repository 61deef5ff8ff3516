// ListProxies' audit_status from cheap facts (no verification per list call): no audit file yet,
// files never verified in this run, the last VerifyAudit verdict, forgotten by a repair, and
// overridden by a proxy that attached afterwards (it passed its startup verification).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { logFilePath } from "../../lib/audit/index.ts";
import { ActivityTestLogs } from "../../lib/audit/query/activity-test-logs.ts";
import { loadManagerConfig, loadProxyConfig } from "../../lib/config/index.ts";
import { AuditService } from "../../lib/gen/mcpacp/api/v1/audit_service_pb.ts";
import { ProxyService } from "../../lib/gen/mcpacp/api/v1/proxy_service_pb.ts";
import { AuditOverallStatus } from "../../lib/gen/mcpacp/common/v1/audit_pb.ts";
import { proxyLogDir } from "../../lib/paths/index.ts";
import { addProxy, attach, detachAll, type ApiHarness, startApiHarness } from "./support.ts";

let h: ApiHarness;
let decisionsPath = "";
beforeAll(async () => {
  h = await startApiHarness();
  addProxy(h, "fresh");
  addProxy(h, "logged");
  const logDir = proxyLogDir(loadManagerConfig(h.paths).log_dir, "logged");
  const logs = new ActivityTestLogs(logDir);
  for (let i = 0; i < 3; i++) logs.decision(new Date(Date.UTC(2026, 0, 1, 0, 0, i)), { decision: "allow" });
  decisionsPath = logFilePath(logDir, "audit/decisions.jsonl");
});
afterAll(async () => {
  await h.close();
});

async function listed(name: string): Promise<AuditOverallStatus | undefined> {
  const { proxies } = await h.client(ProxyService).listProxies({});
  return proxies.find((p) => p.proxyName === name)?.auditStatus;
}

describe("ListProxies audit_status", () => {
  test("no audit file: NO_FILES; files never verified in this run: UNSPECIFIED", async () => {
    expect(await listed("fresh")).toBe(AuditOverallStatus.NO_FILES);
    expect(await listed("logged")).toBe(AuditOverallStatus.UNSPECIFIED);
  });

  test("a failed VerifyAudit shows until a repair forgets it", async () => {
    const text = readFileSync(decisionsPath, "utf8");
    writeFileSync(decisionsPath, text.replace('"decision":"allow"', '"decision":"deny"'));
    const { report } = await h.client(AuditService).verifyAudit({ proxy: "logged" });
    expect(report?.overallStatus).toBe(AuditOverallStatus.FAILED);
    expect(await listed("logged")).toBe(AuditOverallStatus.FAILED);
    await h.client(AuditService).repairAudit({ proxy: "logged", dryRun: true });
    expect(await listed("logged")).toBe(AuditOverallStatus.FAILED);
    const repaired = await h.client(AuditService).repairAudit({ proxy: "logged" });
    expect(repaired.report?.success).toBe(true);
    expect(await listed("logged")).toBe(AuditOverallStatus.UNSPECIFIED);
  });

  test("a proxy that attached after the last verdict passed its startup verification", async () => {
    writeFileSync(decisionsPath, "not a record\n");
    await h.client(AuditService).verifyAudit({ proxy: "logged" });
    expect(await listed("logged")).toBe(AuditOverallStatus.FAILED);
    const entry = attach(h, "logged", loadProxyConfig(h.paths, "logged"));
    try {
      // attach() stamps a fixed past connectedAt: older than the verdict, so the verdict stands.
      expect(await listed("logged")).toBe(AuditOverallStatus.FAILED);
      detachAll(h);
      h.attached.push({ ...entry, connectedAt: new Date(Date.now() + 1000) });
      expect(await listed("logged")).toBe(AuditOverallStatus.PASSED);
    } finally {
      detachAll(h);
    }
  });
});
