// LogService and IncidentService over the real gateway socket: pages of real chained logs with
// cursors and filters, log metadata, and incidents merged from every proxy with `since`.
import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { sealRecord, type ChainHead } from "../../lib/audit/index.ts";
import { loadManagerConfig } from "../../lib/config/index.ts";
import { IncidentService } from "../../lib/gen/mcpacp/api/v1/incident_service_pb.ts";
import { LogService } from "../../lib/gen/mcpacp/api/v1/log_service_pb.ts";
import { IncidentType } from "../../lib/gen/mcpacp/common/v1/incident_pb.ts";
import { LogType, TimeRange } from "../../lib/gen/mcpacp/common/v1/log_pb.ts";
import { Decision } from "../../lib/gen/mcpacp/common/v1/policy_pb.ts";
import { emergencyAuditPath, proxyBootstrapLogPath, proxyLogDir } from "../../lib/paths/index.ts";
import { addProxy, failure, violationFields, type ApiHarness, startApiHarness } from "./support.ts";

let h: ApiHarness;
let logDir = "";
beforeAll(async () => {
  h = await startApiHarness();
  addProxy(h, "logged");
  addProxy(h, "other");
  logDir = proxyLogDir(loadManagerConfig(h.paths).log_dir, "logged");
});
afterAll(async () => {
  await h.close();
});

/** Appends sealed decision records, one second apart, ending `endAgoMs` before now. */
function writeDecisions(count: number, endAgoMs: number): void {
  const path = join(logDir, "audit", "decisions.jsonl");
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  let head: ChainHead | null = null;
  const lines: string[] = [];
  for (let i = 1; i <= count; i++) {
    const time = new Date(Date.now() - endAgoMs - (count - i) * 1000);
    const sealed = sealRecord({ request_id: String(i), decision: i % 3 === 0 ? "deny" : "allow", session_id: "s1" }, head, { time });
    head = sealed.head;
    lines.push(sealed.line);
  }
  appendFileSync(path, lines.join(""), { mode: 0o600 });
}

function jsonl(path: string, records: object[]): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, records.map((r) => `${JSON.stringify(r)}\n`).join(""));
}

const logs = () => h.client(LogService);
const incidents = () => h.client(IncidentService);

describe("QueryLogs", () => {
  beforeAll(() => writeDecisions(7, 1000));

  test("pages newest first with an opaque cursor until has_more is false", async () => {
    const seen: string[] = [];
    let cursor = "";
    let pages = 0;
    for (;;) {
      const page = await logs().queryLogs({ proxy: "logged", logType: LogType.DECISIONS, timeRange: TimeRange.ALL, limit: 3, cursor });
      pages++;
      seen.push(...page.entries.map((e) => String(e.request_id)));
      expect(page.logFile).toBe(join(logDir, "audit", "decisions.jsonl"));
      if (!page.hasMore) {
        expect(page.nextCursor).toBe("");
        break;
      }
      expect(page.nextCursor).toStartWith("c1.");
      cursor = page.nextCursor;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(["7", "6", "5", "4", "3", "2", "1"]);
  });

  test("the default page is 50 entries of the last 5 minutes; filters apply", async () => {
    const all = await logs().queryLogs({ proxy: "logged", logType: LogType.DECISIONS });
    expect(all.entries).toHaveLength(7);
    expect(all.totalScanned).toBe(7n);
    const denied = await logs().queryLogs({ proxy: "logged", logType: LogType.DECISIONS, filters: { decisions: [Decision.DENY] } });
    expect(denied.entries.map((e) => e.request_id)).toEqual(["6", "3"]);
  });

  test("bad arguments name their field: limit, a filter for another log, a foreign cursor", async () => {
    let caught = await failure(logs().queryLogs({ proxy: "logged", logType: LogType.DECISIONS, limit: 1001 }));
    expect(caught.code).toBe(Code.InvalidArgument);
    expect(violationFields(caught)).toEqual(["limit"]);
    caught = await failure(logs().queryLogs({ proxy: "logged", logType: LogType.DECISIONS, filters: { levels: [2] } }));
    expect(violationFields(caught)).toEqual(["filters.levels"]);
    caught = await failure(logs().queryLogs({ proxy: "logged", logType: LogType.DECISIONS, cursor: "c1.bm90LWEtY3Vyc29y" }));
    expect(violationFields(caught)).toEqual(["cursor"]);
    caught = await failure(logs().queryLogs({ proxy: "logged", logType: LogType.UNSPECIFIED }));
    expect(violationFields(caught)).toEqual(["log_type"]);
  });

  test("wire logs need log_level DEBUG (NOT_FOUND LOG_NOT_AVAILABLE); an unknown proxy is NOT_FOUND", async () => {
    const caught = await failure(logs().queryLogs({ proxy: "logged", logType: LogType.CLIENT_WIRE }));
    expect(caught.code).toBe(Code.NotFound);
    expect(caught.detail?.code).toBe("LOG_NOT_AVAILABLE");
    expect((await failure(logs().queryLogs({ proxy: "ghost", logType: LogType.DECISIONS }))).detail?.code).toBe("PROXY_NOT_FOUND");
  });

  test("GetLogMetadata lists the folders and files with their sizes", async () => {
    const { metadata } = await logs().getLogMetadata({ proxy: "logged" });
    expect(metadata?.folders.map((f) => f.name)).toEqual(["audit", "system", "debug"]);
    const decisions = metadata?.folders[0]?.files.find((f) => f.logType === LogType.DECISIONS);
    expect(decisions?.exists).toBe(true);
    expect(decisions?.sizeBytes).toBeGreaterThan(0n);
    expect(decisions?.fileKey).toBe("audit/decisions.jsonl");
    expect(metadata?.debugEnabled).toBe(false);
  });
});

describe("incidents", () => {
  beforeAll(() => {
    const config = loadManagerConfig(h.paths);
    jsonl(join(proxyLogDir(config.log_dir, "logged"), "shutdowns.jsonl"), [
      { time: "2026-01-01T10:00:00.000Z", event: "security_shutdown", failure_type: "audit_failure", reason: "tampered", exit_code: 10, context: {} },
      { time: "2026-01-03T10:00:00.000Z", event: "security_shutdown", failure_type: "policy_failure", reason: "bad policy", exit_code: 11, context: {} },
    ]);
    jsonl(proxyBootstrapLogPath(h.paths, "other"), [{ time: "2026-01-02T10:00:00.000Z", event: "config_not_found", error_type: "config_not_found", error_message: "missing" }]);
    jsonl(emergencyAuditPath(h.paths), [
      { time: "2026-01-04T10:00:00.000Z", event: "emergency_audit", event_type: "decision", failure_reason: "disk full", source_file: "x", operation: {} },
    ]);
  });

  test("merged newest first across proxies, tagged, paged with a cursor", async () => {
    const first = await incidents().listIncidents({ limit: 2 });
    expect(first.incidents.map((i) => i.type)).toEqual([IncidentType.EMERGENCY, IncidentType.SHUTDOWN]);
    expect(first.incidents[1]?.proxyName).toBe("logged");
    expect(first.incidents[1]?.exitCode).toBe(11);
    expect(first.incidents[1]?.reason).toBe("bad policy");
    expect(first.hasMore).toBe(true);
    const rest = await incidents().listIncidents({ limit: 2, cursor: first.nextCursor });
    expect(rest.incidents.map((i) => `${i.type}:${i.proxyName}`)).toEqual([`${IncidentType.BOOTSTRAP}:other`, `${IncidentType.SHUTDOWN}:logged`]);
    expect(rest.hasMore).toBe(false);
    const onlyOther = await incidents().listIncidents({ proxy: "other" });
    expect(onlyOther.incidents.map((i) => i.type)).toEqual([IncidentType.EMERGENCY, IncidentType.BOOTSTRAP]);
    const shutdowns = await incidents().listIncidents({ type: IncidentType.SHUTDOWN });
    expect(shutdowns.incidents).toHaveLength(2);
  });

  test("the summary counts only incidents strictly after since", async () => {
    const all = await incidents().getIncidentSummary({});
    expect(all.summary).toMatchObject({ shutdownsCount: 2, bootstrapCount: 1, emergencyCount: 1, emergencyPath: emergencyAuditPath(h.paths) });
    expect(all.summary?.latestCriticalAt?.seconds).toBe(BigInt(Date.parse("2026-01-04T10:00:00Z") / 1000));
    const at = BigInt(Date.parse("2026-01-03T10:00:00Z") / 1000);
    const since = await incidents().getIncidentSummary({ since: { seconds: at, nanos: 0 } });
    expect(since.summary).toMatchObject({ shutdownsCount: 0, bootstrapCount: 0, emergencyCount: 1 });
    const justBefore = await incidents().getIncidentSummary({ since: { seconds: at - 1n, nanos: 0 } });
    expect(justBefore.summary?.shutdownsCount).toBe(1);
  });
});
