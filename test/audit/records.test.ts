// What a real proxy run leaves in its log dir: the six chained files with the fields of spec
// audit.md §4, verified intact by lib/audit with the proxy's key; arguments and results only as
// hashes; the debug wire logs only with log_level DEBUG.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { AuditVerdict, FileIntegrityStatus, sha256Hex } from "../../lib/audit/index.ts";
import { modeOf } from "../helpers/index.ts";
import { ProxyHome } from "../proxy/support.ts";
import { addEchoProxy, logDirOf, logFile, records, verifyProxyLogs } from "./support.ts";

let home: ProxyHome;
beforeAll(async () => {
  home = await ProxyHome.create();
});
afterAll(async () => {
  await home.remove();
});

const SECRET_TEXT = "text-that-must-never-reach-an-audit-log";

describe("audit records of a proxy run", () => {
  test("decisions, operations, auth, system and both histories, chained and verified intact", async () => {
    addEchoProxy(home, "rec");
    const { client } = await home.connect("rec");
    await client.callTool({ name: "echo", arguments: { text: SECRET_TEXT } });
    const denied = await client.callTool({ name: "env_keys", arguments: {} });
    expect(denied.isError).toBe(true);
    await client.listTools();
    await client.close();
    // The proxy writes its last records (session end, stop) as it exits.
    const dir = logDirOf(home, "rec");
    for (let i = 0; i < 200 && !records(home, "rec", "audit/auth.jsonl").some((r) => r.event_type === "session_ended"); i++) await Bun.sleep(25);

    const report = verifyProxyLogs(home, "rec");
    expect(report.verdict).toBe(AuditVerdict.Intact);
    expect(report.files.map((f) => f.status)).toEqual(Array(6).fill(FileIntegrityStatus.Protected));

    const decisions = records(home, "rec", "audit/decisions.jsonl");
    expect(decisions.map((d) => [d.mcp_method, d.decision, d.final_rule])).toEqual([
      ["initialize", "allow", "discovery_bypass"],
      ["tools/call", "allow", "allow-echo"],
      ["tools/call", "deny", "default"],
      ["tools/list", "allow", "discovery_bypass"],
    ]);
    for (const d of decisions) {
      expect(d).toMatchObject({ event: "policy_decision", backend_id: "rec", policy_version: "v1" });
      expect(typeof d.policy_eval_ms).toBe("number");
      expect(d.policy_total_ms).toBe(d.policy_eval_ms as number);
      expect(Object.keys(d).slice(0, 3)).toEqual(["time", "sequence", "prev_hash"]);
      expect(Object.keys(d).at(-1)).toBe("entry_hash");
    }
    expect(decisions[1]).toMatchObject({ tool_name: "echo", matched_rules: [{ id: "allow-echo", effect: "allow" }] });

    const operations = records(home, "rec", "audit/operations.jsonl");
    expect(operations.map((o) => [o.method, o.status])).toEqual([
      ["initialize", "Success"],
      ["tools/call", "Success"],
      ["tools/call", "Failure"],
      ["tools/list", "Success"],
    ]);
    expect(operations[0]).toMatchObject({ session_id: "unknown", request_id: "unknown", client_id: "e2e-test", transport: "stdio", config_version: "v1" });
    const echo = operations[1] ?? {};
    expect(echo).toMatchObject({ tool_name: "echo", client_id: "e2e-test", subject: { subject_id: expect.any(String) }, arguments_summary: { redacted: true } });
    expect((echo.arguments_summary as { body_hash: string }).body_hash).toBe(sha256Hex(`{"arguments":{"text":"${SECRET_TEXT}"},"name":"echo"}`));
    expect((echo.response_summary as { size_bytes: number }).size_bytes).toBeGreaterThan(0);
    expect(typeof (echo.duration as { duration_ms: number }).duration_ms).toBe("number");
    expect(operations[2]).toMatchObject({ status: "Failure", error_code: -32001, tool_name: "env_keys" });
    expect(operations[2]?.response_summary).toBeUndefined();
    for (const file of ["audit/operations.jsonl", "audit/decisions.jsonl"]) {
      expect(await Bun.file(logFile(home, "rec", file)).text()).not.toContain(SECRET_TEXT);
    }

    const auth = records(home, "rec", "audit/auth.jsonl");
    expect(auth.map((a) => [a.event_type, a.status, a.end_reason])).toEqual([
      ["session_started", "Success", undefined],
      ["session_ended", "Success", "normal"],
    ]);
    expect(String(auth[0]?.bound_session_id)).toMatch(/^sha256:[0-9a-f]{8}$/);
    expect(String((auth[0]?.subject as { subject_id: string }).subject_id)).toMatch(/^sha256:[0-9a-f]{8}$/);

    const system = records(home, "rec", "system/system.jsonl");
    expect(system.map((s) => [s.event, s.level])).toEqual([
      ["proxy_started", "INFO"],
      ["proxy_stopped", "INFO"],
    ]);

    expect(records(home, "rec", "system/config_history.jsonl").map((r) => [r.event, r.config_version])).toEqual([
      ["config_created", "v1"],
      ["config_loaded", "v1"],
    ]);
    expect(records(home, "rec", "system/policy_history.jsonl").map((r) => [r.event, r.policy_version])).toEqual([
      ["policy_created", "v1"],
      ["policy_loaded", "v1"],
    ]);

    for (const sub of ["audit", "system"]) expect(modeOf(join(dir, sub))).toBe(0o700);
    for (const key of ["audit/operations.jsonl", "audit/decisions.jsonl", "audit/auth.jsonl", "system/system.jsonl", "state.db"]) expect(modeOf(join(dir, key))).toBe(0o600);
    expect(existsSync(join(dir, "debug"))).toBe(false);
    expect(existsSync(join(dir, ".writer.lock"))).toBe(false);
  });

  test("WARNING and above also go to system.jsonl (a protected path refusal), with their level", async () => {
    addEchoProxy(home, "warn");
    const { client } = await home.connect("warn");
    const refused = await client.callTool({ name: "echo", arguments: { text: "x", path: join(home.paths.configDir, "manager.json") } });
    expect(refused.isError).toBe(true);
    await client.close();
    const warning = records(home, "warn", "system/system.jsonl").find((r) => r.event === "protected_path_denied");
    expect(warning).toMatchObject({ level: "WARNING", component: "proxy" });
    expect(String(warning?.message)).toContain("manager.json");
    expect(records(home, "warn", "audit/decisions.jsonl").at(-1)).toMatchObject({ decision: "deny", final_rule: "built_in_protected_path" });
  });

  test("log_level DEBUG adds the wire logs (not chained); the decision lines stay on stderr", async () => {
    addEchoProxy(home, "dbg", { log_level: "DEBUG" });
    const { client, stderr } = await home.connect("dbg");
    await client.callTool({ name: "echo", arguments: { text: "wire" } });
    await client.close();
    const client_wire = records(home, "dbg", "debug/client_wire.jsonl");
    const backend_wire = records(home, "dbg", "debug/backend_wire.jsonl");
    expect(client_wire.map((r) => r.event)).toContain("client_request");
    expect(client_wire.map((r) => r.event)).toContain("proxy_response");
    expect(backend_wire.find((r) => r.event === "proxy_request" && r.tool_name === "echo")).toMatchObject({ arguments: { text: "[REDACTED - 4 bytes]" }, operation_type: "other" });
    expect(client_wire[0]?.sequence).toBeUndefined();
    expect(statSync(logFile(home, "dbg", "debug/client_wire.jsonl")).mode & 0o777).toBe(0o600);
    expect(stderr()).toContain('{"event":"decision"');
  });
});
