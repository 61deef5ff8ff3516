import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseCrashBreadcrumb } from "../../../lib/audit/index.ts";
import { type CriticalShutdownEvent, SecurityShutdown } from "./security-shutdown.ts";
import { AuditHome } from "./test-support.ts";

let home: AuditHome;
beforeEach(() => {
  home = new AuditHome();
});
afterEach(() => {
  home.remove();
});

function coordinator(exits: number[], stderr: string[]): SecurityShutdown {
  return new SecurityShutdown({
    logDir: home.logDir,
    emergencyPath: home.emergencyPath,
    proxyName: "unit",
    proxyId: "px_00000000:unit",
    stderr: { write: (t: string) => stderr.push(t) },
    exit: (code) => exits.push(code),
    backstopMs: 30,
  });
}

describe("SecurityShutdown", () => {
  test("records the incident everywhere, emits critical_shutdown, stops after the current request, exits by backstop; once only", async () => {
    const exits: number[] = [];
    const stderr: string[] = [];
    const shutdown = coordinator(exits, stderr);
    const events: CriticalShutdownEvent[] = [];
    const system: Record<string, unknown>[] = [];
    const ended: string[] = [];
    const stops: string[] = [];
    shutdown.onCriticalShutdown((e) => events.push(e));
    shutdown.useRecorders({
      systemFailure: (fields) => {
        system.push(fields);
        return true;
      },
      sessionEnded: (type) => ended.push(type),
    });
    shutdown.useStopper((reason) => stops.push(reason));
    shutdown.initiate("audit_failure", "Audit log write failed: disk full", { source: "audit_handler" });
    shutdown.initiate("session_binding_violation", "second call is ignored");
    expect(stops).toEqual([]); // not during the failing request itself
    expect(shutdown.inProgress).toBe(true);
    expect(shutdown.exitCode).toBe(10);

    const [record, ...rest] = home.lines("shutdowns.jsonl");
    expect(rest).toEqual([]);
    expect(record).toMatchObject({ event: "security_shutdown", failure_type: "audit_failure", reason: "Audit log write failed: disk full", exit_code: 10, context: { source: "audit_handler" } });
    expect(statSync(join(home.logDir, "shutdowns.jsonl")).mode & 0o777).toBe(0o600);
    const crumb = parseCrashBreadcrumb(readFileSync(join(home.logDir, ".last_crash"), "utf8"));
    expect(crumb).toMatchObject({ failureType: "audit_failure", exitCode: 10, reason: "Audit log write failed: disk full", context: { source: "audit_handler" } });
    expect(system).toEqual([expect.objectContaining({ failure_type: "audit_failure", action: "shutdown_initiated", exit_code: 10 })]);
    expect(ended).toEqual(["audit_failure"]);
    expect(events).toEqual([expect.objectContaining({ type: "critical_shutdown", severity: "critical", message: "Proxy shutting down: audit_failure", details: "Audit log write failed: disk full", exit_code: 10 })]);
    expect(stderr.join("")).toContain("critical_shutdown {");

    await Bun.sleep(1);
    expect(stops).toEqual(["security shutdown (audit_failure)"]);
    await Bun.sleep(60);
    expect(exits).toEqual([10]);
  });

  test("without its log dir the incident goes to emergency_audit.jsonl, attributed to the proxy", () => {
    rmSync(home.logDir, { recursive: true });
    const shutdown = coordinator([], []);
    shutdown.initiate("audit_failure", "Audit log compromised - missing: audit/");
    shutdown.disarm();
    const [record] = home.lines(home.emergencyPath);
    expect(record).toMatchObject({
      event: "emergency_audit",
      event_type: "shutdown",
      source_file: "shutdowns.jsonl",
      proxy_name: "unit",
      operation: { event: "security_shutdown", failure_type: "audit_failure", exit_code: 10 },
    });
  });
});
