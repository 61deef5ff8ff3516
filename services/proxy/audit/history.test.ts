import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { AuditVerdict, fileChecksum, sealRecord, verifyFile } from "../../../lib/audit/index.ts";
import { readLastHistoryRecord } from "./history.ts";
import type { ReloadResult } from "../policy/reload-result.ts";
import { AuditHome } from "./test-support.ts";

let home: AuditHome;
beforeEach(() => {
  home = new AuditHome();
});
afterEach(() => {
  home.remove();
});

const bytes = (path: string) => readFileSync(path);

async function start(digest = "sha256:aaaa") {
  const audit = home.open();
  const versions = audit.recordStartupHistory(bytes(home.configPath), bytes(home.policyPath), digest);
  return { audit, versions };
}

const reload = (status: ReloadResult["status"], policyVersion: string, extra: Partial<ReloadResult> = {}): ReloadResult => ({
  status,
  trigger: "sighup",
  oldRulesCount: 0,
  newRulesCount: 0,
  policyVersion,
  ...extra,
});

describe("config and policy history", () => {
  test("first start: created (v1, with a snapshot stripped of secrets) then loaded; nothing new when unchanged", async () => {
    const first = await start();
    expect(first.versions).toEqual({ configVersion: "v1", policyVersion: "v1", configChanged: false, policyChanged: false });
    await first.audit.close();
    const second = await start();
    expect(second.versions.configVersion).toBe("v1");
    await second.audit.close();
    const config = home.lines("system/config_history.jsonl");
    expect(config.map((r) => [r.event, r.config_version])).toEqual([
      ["config_created", "v1"],
      ["config_loaded", "v1"],
      ["config_loaded", "v1"],
    ]);
    expect(config[0]).toMatchObject({ change_type: "initial_load", snapshot_format: "json", checksum: fileChecksum(bytes(home.configPath)) });
    expect(String(config[0]?.snapshot)).toContain("px_00000000:unit");
    expect(String(config[0]?.snapshot)).not.toContain("s3cret");
    expect(config[1]?.snapshot).toBeUndefined();
    const policy = home.lines("system/policy_history.jsonl");
    expect(policy[0]).toMatchObject({ event: "policy_created", change_type: "initial_creation", policy_version: "v1", policy_path: home.policyPath });
  });

  test("a manual edit between starts: manual_change_detected (next version, snapshot) before loaded", async () => {
    await (await start()).audit.close();
    writeFileSync(home.configPath, `${JSON.stringify({ proxy_id: "px_00000000:unit", log_level: "DEBUG" }, null, 2)}\n`);
    const second = await start();
    expect(second.versions).toMatchObject({ configVersion: "v2", configChanged: true, policyChanged: false });
    await second.audit.close();
    const config = home.lines("system/config_history.jsonl").slice(2);
    expect(config.map((r) => [r.event, r.config_version, r.change_type])).toEqual([
      ["manual_change_detected", "v2", "manual_edit"],
      ["config_loaded", "v2", "startup_load"],
    ]);
    expect(config[0]).toMatchObject({ previous_version: "v1", source: "file_change" });
    expect(String(config[0]?.snapshot)).toContain("DEBUG");
  });

  test("a last record far longer than 4 KiB still gives the version and checksum (no reset to v1)", () => {
    const path = join(home.dir, "policy_history.jsonl");
    const first = sealRecord({ event: "policy_loaded", policy_version: "v6", checksum: "sha256:old" }, null);
    const big = sealRecord({ event: "manual_change_detected", policy_version: "v7", checksum: "sha256:new", snapshot: "x".repeat(20_000) }, first.head);
    writeFileSync(path, first.line + big.line);
    expect(readLastHistoryRecord("policy", verifyFile(path))).toEqual({ version: "v7", checksum: "sha256:new" });
  });

  test("policy reloads: a new version mapped to the new digest; unchanged bytes add nothing; a failure keeps the version", async () => {
    const { audit } = await start("sha256:first");
    expect(audit.policyVersionOf("sha256:first")).toBe("v1");
    audit.onPolicyReload(reload("unchanged", "sha256:first"));
    writeFileSync(home.policyPath, JSON.stringify({ version: "1", default_action: "deny", rules: [{ id: "a", effect: "allow", conditions: { tool_name: "x" } }] }));
    audit.onPolicyReload(reload("success", "sha256:second"));
    expect(audit.policyVersionOf("sha256:second")).toBe("v2");
    writeFileSync(home.policyPath, "{ broken");
    audit.onPolicyReload(reload("validation_error", "sha256:second", { errorType: "invalid_json", error: "Invalid JSON in policy.json" }));
    expect(audit.policyVersionOf("sha256:second")).toBe("v2");
    await audit.close();
    const events = home.lines("system/policy_history.jsonl").map((r) => [r.event, r.policy_version]);
    expect(events).toEqual([
      ["policy_created", "v1"],
      ["policy_loaded", "v1"],
      ["manual_change_detected", "v2"],
      ["policy_loaded", "v2"],
      ["policy_validation_failed", "v2"],
    ]);
    expect(home.lines("system/policy_history.jsonl").at(-1)).toMatchObject({ error_type: "invalid_json", checksum: fileChecksum(bytes(home.policyPath)) });
    expect(home.verify().verdict).toBe(AuditVerdict.Intact);
  });
});
