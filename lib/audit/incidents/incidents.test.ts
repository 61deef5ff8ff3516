import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { LogQueryError, LogQueryErrorCode } from "../query/errors.ts";
import { buildBootstrapErrorRecord, buildEmergencyAuditRecord, buildShutdownRecord } from "../records/index.ts";
import { listIncidents } from "./list.ts";
import { incidentSources } from "./sources.ts";
import { incidentSummary } from "./summary.ts";
import type { IncidentSource } from "./types.ts";

const dir = mkdtempSync(join(tmpdir(), "mcp-acp-incidents-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function at(minute: number): string {
  return new Date(Date.UTC(2026, 0, 1, 12, minute)).toISOString();
}

function jsonl(path: string, records: readonly object[]): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, records.map((r) => `${JSON.stringify(r)}\n`).join(""));
}

function setUp(name: string): IncidentSource[] {
  const root = join(dir, name);
  const proxies = ["fs", "web"].map((p) => ({ name: p, id: `px_0000000${p === "fs" ? 1 : 2}:${p}`, logDir: join(root, "logs", p), bootstrapPath: join(root, "config", p, "bootstrap.jsonl") }));
  const [fs, web] = proxies;
  if (fs === undefined || web === undefined) throw new Error("setup");
  jsonl(join(fs.logDir, "shutdowns.jsonl"), [
    buildShutdownRecord(at(1), "audit_failure", "Audit log file replaced", { source: "audit_handler" }),
    // The original wrote microseconds with +00:00: compared as an instant, not as text.
    { ...buildShutdownRecord("2026-01-01T12:05:00.000000+00:00", "session_binding_violation", "identity changed"), time: "2026-01-01T12:05:00.000000+00:00" },
  ]);
  jsonl(fs.bootstrapPath, [buildBootstrapErrorRecord(at(3), "config_not_found", "config.json missing", { exitCode: 1 })]);
  jsonl(web.bootstrapPath, [buildBootstrapErrorRecord(at(4), "backend_timeout", "backend did not answer"), { event: "no_time", error_message: "x" }]);
  const emergency = join(root, "config", "emergency_audit.jsonl");
  jsonl(emergency, [
    buildEmergencyAuditRecord({ time: at(2), eventType: "decision", failureReason: "disk full", sourceFile: "decisions.jsonl", record: { decision: "deny" }, proxyName: "web", proxyId: "px_00000002:web" }),
  ]);
  return incidentSources(proxies, emergency);
}

describe("listIncidents", () => {
  test("merged newest first across sources, tagged with type and proxy", async () => {
    const page = await listIncidents(setUp("merge"));
    expect(page.entries.map((e) => [e.type, e.proxyName, e.event, e.failureType])).toEqual([
      ["shutdown", "fs", "security_shutdown", "session_binding_violation"],
      ["bootstrap", "web", "backend_timeout", null],
      ["bootstrap", "fs", "config_not_found", null],
      ["emergency", "web", "emergency_audit", "decision"],
      ["shutdown", "fs", "security_shutdown", "audit_failure"],
      ["bootstrap", "web", "no_time", null],
    ]);
    const shutdown = page.entries[4];
    expect(shutdown?.record).toMatchObject({ incident_type: "shutdown", proxy_name: "fs", proxy_id: "px_00000001:fs", exit_code: 10 });
    expect([shutdown?.reason, shutdown?.exitCode]).toEqual(["Audit log file replaced", 10]);
    expect([page.totalReturned, page.hasMore, page.nextCursor, page.filtersApplied]).toEqual([6, false, null, { time_range: "all" }]);
  });

  test("proxy restricts shutdowns and bootstrap only; type filters", async () => {
    const sources = setUp("filter");
    const fs = await listIncidents(sources, { proxy: "fs" });
    expect(fs.entries.map((e) => `${e.type}:${e.proxyName}`)).toEqual(["shutdown:fs", "bootstrap:fs", "emergency:web", "shutdown:fs"]);
    const byId = await listIncidents(sources, { proxy: "px_00000002:web", types: ["bootstrap"] });
    expect(byId.entries.map((e) => e.event)).toEqual(["backend_timeout", "no_time"]);
    expect(byId.filtersApplied).toEqual({ time_range: "all", proxy: "px_00000002:web", incident_type: "bootstrap" });
  });

  test("pages continue exactly with the cursor; has_more", async () => {
    const sources = setUp("pages");
    const first = await listIncidents(sources, { limit: 4 });
    expect([first.entries.length, first.hasMore]).toEqual([4, true]);
    const second = await listIncidents(sources, { limit: 4, cursor: first.nextCursor ?? "" });
    expect([second.entries.map((e) => e.event), second.hasMore]).toEqual([["security_shutdown", "no_time"], false]);
  });

  test("time range and before; limits and cursors are validated", async () => {
    const sources = setUp("time");
    const recent = await listIncidents(sources, { timeRange: "5m", now: new Date(Date.UTC(2026, 0, 1, 12, 7)) });
    // Records without a time pass the time filter (fail-open).
    expect(recent.entries.map((e) => e.event)).toEqual(["security_shutdown", "backend_timeout", "config_not_found", "emergency_audit", "no_time"]);
    const before = await listIncidents(sources, { before: at(3) });
    expect(before.entries.map((e) => e.event)).toEqual(["emergency_audit", "security_shutdown", "no_time"]);
    for (const bad of [{ limit: 0 }, { limit: 1001 }, { cursor: "nope" }, { before: "soon" }]) {
      const error = await listIncidents(sources, bad).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LogQueryError);
      expect([LogQueryErrorCode.InvalidArgument, LogQueryErrorCode.InvalidCursor]).toContain((error as LogQueryError).code);
    }
  });

  test("no files at all: an empty page", async () => {
    const page = await listIncidents(incidentSources([{ name: "x", logDir: join(dir, "none"), bootstrapPath: join(dir, "none", "b.jsonl") }], join(dir, "none", "e.jsonl")));
    expect([page.entries, page.hasMore]).toEqual([[], false]);
  });
});

describe("incidentSummary", () => {
  test("counts, strict since, bootstrap excluded from the latest critical time, the emergency path", async () => {
    const sources = setUp("summary");
    const all = await incidentSummary(sources);
    expect(all).toEqual({
      shutdowns: 2,
      bootstrap: 3,
      emergency: 1,
      latestCriticalAt: "2026-01-01T12:05:00.000Z",
      emergencyPath: join(dir, "summary", "config", "emergency_audit.jsonl"),
    });
    const since = await incidentSummary(sources, { since: at(2) });
    expect([since.shutdowns, since.bootstrap, since.emergency]).toEqual([1, 2, 0]);
    const fsOnly = await incidentSummary(sources, { proxy: "fs", since: new Date(Date.UTC(2026, 0, 1, 12, 5)) });
    expect([fsOnly.shutdowns, fsOnly.bootstrap, fsOnly.emergency, fsOnly.latestCriticalAt]).toEqual([0, 0, 0, null]);
  });
});
