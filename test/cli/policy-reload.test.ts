// `mcp-acp policy reload --proxy NAME` against a real running proxy: a valid change is in force
// afterwards; a broken file is refused (exit 1) and the proxy keeps its last good policy.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { BUN, ECHO_SERVER, ProxyHome, toolCall, type RawProxy } from "../proxy/support.ts";

const ECHO_ONLY = [{ id: "allow-echo", effect: "allow" as const, conditions: { tool_name: "echo" } }];
const ECHO_AND_ENV = [...ECHO_ONLY, { id: "allow-env", effect: "allow" as const, conditions: { tool_name: "env_keys" } }];

let home: ProxyHome;
let proxy: RawProxy;

beforeAll(async () => {
  home = await ProxyHome.create();
  home.addStdioProxy("rl", BUN, [ECHO_SERVER]);
  home.writePolicy("rl", ECHO_ONLY);
  home.addStdioProxy("idle", "backend-idle", []);
  proxy = home.spawnProxy("rl");
  await proxy.initialize();
  await home.waitForControlSocket("rl");
}, 30_000);
afterAll(() => home.remove());

let nextId = 500;
async function envKeysDenied(): Promise<boolean> {
  const id = nextId++;
  await proxy.send(toolCall(id, "env_keys"));
  const reply = await proxy.next();
  expect(reply.id).toBe(id);
  return JSON.stringify(reply).includes("Policy denied");
}

async function policyStatus(): Promise<{ version: string; rules: number }> {
  const r = await home.run(["status", "--proxy", "rl", "--json"]);
  expect(r.exitCode).toBe(0);
  return (JSON.parse(r.stdout) as { policy: { version: string; rules: number } }).policy;
}

describe("policy reload", () => {
  test("a valid change is picked up and reported", async () => {
    expect(await envKeysDenied()).toBe(true);
    const before = await policyStatus();
    home.writePolicy("rl", ECHO_AND_ENV);
    const r = await home.run(["policy", "reload", "--proxy", "rl"]);
    expect(r.stderr).toBe("");
    expect(r.exitCode).toBe(0);
    const after = await policyStatus();
    expect(after.rules).toBe(2);
    expect(after.version).not.toBe(before.version);
    // The proxy may have seen the file change first; either way the reload reports what is in force.
    expect(r.stdout).toMatch(new RegExp(`^✓ Reloaded the policy of proxy 'rl': version ${after.version.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}, 2 rules( \\(was 1\\))?\\.\\n$`));
    expect(await envKeysDenied()).toBe(false);
  }, 20_000);

  test("a broken policy is refused: exit 1 with the reason, the last good policy stays in force", async () => {
    const good = await policyStatus();
    home.writePolicyText("rl", "{ broken");
    const r = await home.run(["policy", "reload", "--proxy", "rl"]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(`Error: Policy reload of proxy 'rl' failed: the policy is not valid (${home.policyPath("rl")}):`);
    expect(r.stderr).toContain("policy.json");
    expect(r.stderr).toContain(`The proxy keeps policy version ${good.version} (2 rules). Fix it with 'mcp-acp policy edit --proxy rl'.`);

    const json = await home.run(["policy", "reload", "--proxy", "rl", "--json"]);
    expect(json.exitCode).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      proxy: "rl",
      status: "POLICY_RELOAD_STATUS_VALIDATION_ERROR",
      policy_version: good.version,
      error: { code: "INVALID_JSON" },
    });
    expect(await policyStatus()).toEqual(good);
    expect(await envKeysDenied()).toBe(false);
  }, 20_000);

  test("a proxy that is not running: exit 1, one line naming the start command", async () => {
    const r = await home.run(["policy", "reload", "--proxy", "idle"]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe("Error: Proxy 'idle' is not running. Start it with: mcp-acp start --proxy idle\n");
    const unknown = await home.run(["policy", "reload", "--proxy", "nope"]);
    expect(unknown.exitCode).toBe(1);
    expect(unknown.stderr).toContain("Error: Proxy 'nope' not found.");
  }, 20_000);
});
