// `mcp-acp incidents` as a real process: shutdowns, failed starts and emergency records of all
// proxies merged newest first, tagged, filtered and paged.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { buildBootstrapErrorRecord, buildEmergencyAuditRecord, buildShutdownRecord } from "../../lib/audit/index.ts";
import { initializedHome, TempHome } from "../helpers/index.ts";

let home: TempHome;

function at(minute: number): string {
  return new Date(Date.UTC(2026, 0, 1, 12, minute)).toISOString();
}

function jsonl(path: string, records: readonly object[]): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, records.map((r) => `${JSON.stringify(r)}\n`).join(""), { mode: 0o600 });
}

const shutdowns = (name: string): string => home.path("logs", "mcp-acp", "proxies", name, "shutdowns.jsonl");
const bootstrap = (name: string): string => home.path("config", "proxies", name, "bootstrap.jsonl");
const emergency = (): string => home.path("config", "emergency_audit.jsonl");

beforeAll(async () => {
  home = await initializedHome();
  for (const name of ["fs", "web"]) {
    const r = await home.run(["proxy", "add", "--name", name, "--server-name", name, "--command", `npx-${name}`]);
    expect(r.exitCode).toBe(0);
  }
});
afterAll(() => home.remove());

describe("incidents", () => {
  test("none recorded", async () => {
    const r = await home.run(["incidents"]);
    expect([r.exitCode, r.stdout]).toEqual([0, "No incidents recorded.\n"]);
    const json = JSON.parse((await home.run(["incidents", "--json"])).stdout) as { entries: unknown[]; has_more: boolean };
    expect([json.entries, json.has_more]).toEqual([[], false]);
  });

  describe("with incidents", () => {
    beforeAll(() => {
      jsonl(shutdowns("fs"), [
        buildShutdownRecord(at(1), "audit_failure", "Audit log file replaced or moved", { source: "audit_handler" }),
        buildShutdownRecord(at(6), "session_binding_violation", "identity changed mid-session"),
      ]);
      jsonl(bootstrap("web"), [buildBootstrapErrorRecord(at(3), "backend_timeout", "backend did not answer in 30 s", { exitCode: 1 })]);
      jsonl(bootstrap("fs"), [buildBootstrapErrorRecord(at(5), "audit_failure", "Audit log integrity verification failed", { exitCode: 10 })]);
      jsonl(emergency(), [
        buildEmergencyAuditRecord({ time: at(2), eventType: "decision", failureReason: "disk full", sourceFile: "decisions.jsonl", record: { decision: "deny" }, proxyName: "web" }),
      ]);
    });
    afterAll(() => {
      for (const p of [shutdowns("fs"), bootstrap("web"), bootstrap("fs"), emergency()]) rmSync(p, { force: true });
    });

    test("merged newest first, one line each with type, proxy, what and why", async () => {
      const r = await home.run(["incidents"]);
      expect(r.exitCode).toBe(0);
      const lines = r.stdout.trim().split("\n");
      expect(lines).toHaveLength(5);
      expect(lines[0]).toMatch(/^2026-01-01T12:06:00\.000Z +shutdown +fs +session_binding_violation, exit 15: identity changed mid-session$/);
      expect(lines[1]).toMatch(/bootstrap +fs +audit_failure, exit 10: Audit log integrity verification failed$/);
      expect(lines[2]).toMatch(/bootstrap +web +backend_timeout, exit 1: backend did not answer/);
      expect(lines[3]).toMatch(/emergency +web +decision: disk full$/);
      expect(lines[4]).toMatch(/shutdown +fs +audit_failure, exit 10: Audit log file replaced or moved$/);
    });

    test("--proxy narrows shutdowns and failed starts; emergency records stay", async () => {
      const r = await home.run(["incidents", "--proxy", "web"]);
      expect(r.stdout.trim().split("\n").map((l) => l.split(/ +/).slice(1, 3).join(" "))).toEqual(["bootstrap web", "emergency web"]);
    });

    test("--type, -n and paging with the printed cursor", async () => {
      const shut = await home.run(["incidents", "--type", "shutdown"]);
      expect(shut.stdout.trim().split("\n")).toHaveLength(2);
      const first = await home.run(["incidents", "-n", "3"]);
      expect(first.stdout.trim().split("\n")).toHaveLength(3);
      const cursor = /--before (\S+)/.exec(first.stderr)?.[1] ?? "";
      expect(cursor).toStartWith("i1.");
      const second = await home.run(["incidents", "-n", "3", "--before", cursor]);
      expect(second.stdout.trim().split("\n").map((l) => l.split(/ +/)[1])).toEqual(["emergency", "shutdown"]);
      expect(second.stderr).toBe("");
    });

    test("--json: tagged entries", async () => {
      const r = await home.run(["incidents", "--json", "--type", "shutdown", "--proxy", "fs"]);
      const doc = JSON.parse(r.stdout) as { entries: Array<Record<string, unknown>>; total_returned: number; has_more: boolean; filters_applied: Record<string, string> };
      expect([doc.total_returned, doc.has_more, doc.filters_applied]).toEqual([2, false, { time_range: "all", proxy: "fs", incident_type: "shutdown" }]);
      expect(doc.entries[0]).toMatchObject({
        incident_type: "shutdown",
        proxy_name: "fs",
        failure_type: "session_binding_violation",
        exit_code: 15,
        record: { event: "security_shutdown", incident_type: "shutdown", proxy_name: "fs", proxy_id: expect.stringMatching(/^px_[0-9a-f]{8}:fs$/) },
      });
    });

    test("bad values and an unknown proxy", async () => {
      expect((await home.run(["incidents", "--type", "crash"])).exitCode).toBe(2);
      expect((await home.run(["incidents", "-n", "0"])).exitCode).toBe(2);
      expect((await home.run(["incidents", "--since", "forever"])).exitCode).toBe(2);
      expect((await home.run(["incidents", "--before", "i1.garbage"])).exitCode).toBe(1);
      const ghost = await home.run(["incidents", "--proxy", "ghost"]);
      expect(ghost.exitCode).toBe(1);
      expect(ghost.stderr).toContain("Proxy 'ghost' not found.");
    });
  });
});
