// Config and policy versions through the real proxy: a policy reload appends a new version and
// the decisions after it carry that version; config.json edited between two starts is detected
// and recorded; a policy rejected at start is recorded in the policy history too.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { AuditVerdict } from "../../lib/audit/index.ts";
import { proxyConfigPath } from "../../lib/paths/index.ts";
import { ProxyHome, toolCall } from "../proxy/support.ts";
import { addEchoProxy, ECHO_POLICY, records, verifyProxyLogs } from "./support.ts";

let home: ProxyHome;
beforeAll(async () => {
  home = await ProxyHome.create();
});
afterAll(async () => {
  await home.remove();
});

describe("versions in the audit trail", () => {
  test("a policy reload appends v2 to the policy history; later decisions carry v2", async () => {
    addEchoProxy(home, "reload");
    const proxy = home.spawnProxy("reload");
    await proxy.initialize();
    await proxy.send(toolCall(1, "env_keys"));
    expect(JSON.stringify(await proxy.next())).toContain("Policy denied");
    home.writePolicy("reload", [...ECHO_POLICY, { id: "allow-env", effect: "allow", conditions: { tool_name: "env_keys" } }]);
    proxy.proc.kill("SIGHUP");
    await proxy.waitForStderr("Policy reloaded (");
    await proxy.send(toolCall(2, "env_keys"));
    expect(JSON.stringify(await proxy.next())).not.toContain("Policy denied");
    proxy.closeStdin();
    expect(await proxy.proc.exited).toBe(0);

    const history = records(home, "reload", "system/policy_history.jsonl");
    expect(history.map((r) => [r.event, r.policy_version, r.source])).toEqual([
      ["policy_created", "v1", "proxy_startup"],
      ["policy_loaded", "v1", "proxy_startup"],
      ["manual_change_detected", "v2", "file_change"],
      ["policy_loaded", "v2", "hot_reload"],
    ]);
    expect(String(history[2]?.snapshot)).toContain("allow-env");
    const decisions = records(home, "reload", "audit/decisions.jsonl").filter((d) => d.mcp_method === "tools/call");
    expect(decisions.map((d) => [d.request_id, d.decision, d.policy_version])).toEqual([
      ["1", "deny", "v1"],
      ["2", "allow", "v2"],
    ]);
    expect(verifyProxyLogs(home, "reload").verdict).toBe(AuditVerdict.Intact);
  }, 20_000);

  test("config.json edited between starts: manual_change_detected v2, noted in the banner and carried by operations", async () => {
    addEchoProxy(home, "edited");
    const first = await home.run(["start", "--proxy", "edited"]);
    expect(first.exitCode).toBe(0);
    const path = proxyConfigPath(home.paths, "edited");
    const config = JSON.parse(readFileSync(path, "utf8")) as { hitl: Record<string, unknown> };
    writeFileSync(path, `${JSON.stringify({ ...config, hitl: { ...config.hitl, timeout_seconds: 90 } }, null, 2)}\n`);
    const { client, stderr } = await home.connect("edited");
    await client.callTool({ name: "echo", arguments: { text: "x" } });
    await client.close();
    expect(stderr()).toContain("Manual config changes detected");
    expect(stderr()).toContain("Config:            version v2");
    const history = records(home, "edited", "system/config_history.jsonl");
    expect(history.map((r) => [r.event, r.config_version, r.change_type])).toEqual([
      ["config_created", "v1", "initial_load"],
      ["config_loaded", "v1", "startup_load"],
      ["manual_change_detected", "v2", "manual_edit"],
      ["config_loaded", "v2", "startup_load"],
    ]);
    expect(history[2]).toMatchObject({ previous_version: "v1", source: "file_change" });
    expect(String(history[2]?.snapshot)).toContain('"timeout_seconds": 90');
    expect(records(home, "edited", "audit/operations.jsonl").at(-1)).toMatchObject({ method: "tools/call", config_version: "v2" });
  }, 20_000);

  test("a policy rejected at start (exit 11) is recorded in the policy history as well", async () => {
    addEchoProxy(home, "badpolicy");
    expect((await home.run(["start", "--proxy", "badpolicy"])).exitCode).toBe(0);
    home.writePolicyText("badpolicy", '{"version":"1","default_action":"deny","rules":[{"effect":"maybe"}]}');
    const result = await home.run(["start", "--proxy", "badpolicy"]);
    expect(result.exitCode).toBe(11);
    expect(records(home, "badpolicy", "system/policy_history.jsonl").at(-1)).toMatchObject({
      event: "policy_validation_failed",
      policy_version: "v1",
      change_type: "validation_error",
      error_type: "policy_validation_failed",
    });
    expect(verifyProxyLogs(home, "badpolicy").verdict).toBe(AuditVerdict.Intact);
  }, 20_000);
});
