// Policy hot reload in the running proxy: a broken policy (by SIGHUP or by a file change) keeps
// the last good one in force; a fixed one takes effect without a restart.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BUN, ECHO_SERVER, eventually, policyText, ProxyHome, type RawProxy, toolCall } from "./support.ts";

let home: ProxyHome;
beforeAll(async () => {
  home = await ProxyHome.create();
});
afterAll(async () => {
  await home.remove();
});

const ECHO_ONLY = [{ id: "allow-echo", effect: "allow" as const, conditions: { tool_name: "echo" } }];
const ECHO_AND_ENV = [...ECHO_ONLY, { id: "allow-env", effect: "allow" as const, conditions: { tool_name: "env_keys" } }];

let nextId = 100;
async function call(proxy: RawProxy, tool: string): Promise<{ denied: boolean; result: Record<string, unknown> }> {
  const id = nextId++;
  await proxy.send(toolCall(id, tool, tool === "echo" ? { text: "hi" } : {}));
  const reply = await proxy.next();
  expect(reply.id).toBe(id);
  const result = reply.result as Record<string, unknown>;
  return { denied: result.isError === true && JSON.stringify(result).includes("Policy denied"), result };
}

async function startProxy(name: string): Promise<RawProxy> {
  home.addStdioProxy(name, BUN, [ECHO_SERVER]);
  home.writePolicy(name, ECHO_ONLY);
  const proxy = home.spawnProxy(name);
  await proxy.initialize();
  expect((await call(proxy, "echo")).denied).toBe(false);
  expect((await call(proxy, "env_keys")).denied).toBe(true);
  return proxy;
}

describe("policy reload", () => {
  test("SIGHUP with a broken policy keeps the old one; SIGHUP with a fixed one applies it", async () => {
    const proxy = await startProxy("hup");
    home.writePolicyText("hup", '{"version":"1","default_action":"deny","rules":[ {"effect":');
    proxy.proc.kill("SIGHUP");
    expect(await proxy.waitForStderr("Policy reload failed (sighup)")).toContain("keeping the last good policy");
    expect((await call(proxy, "echo")).denied).toBe(false); // the previous allow still works
    expect((await call(proxy, "env_keys")).denied).toBe(true);

    home.writePolicyText("hup", JSON.stringify({ version: "1", default_action: "deny", rules: [{ effect: "allow", conditions: { tool_name: 5 } }] }));
    proxy.proc.kill("SIGHUP");
    await proxy.waitForStderr("Policy reload failed (sighup)");
    await proxy.waitForStderr("rules.0.conditions.tool_name"); // the dotted error follows
    expect((await call(proxy, "echo")).denied).toBe(false);

    home.writePolicy("hup", ECHO_AND_ENV);
    proxy.proc.kill("SIGHUP");
    await proxy.waitForStderr("Policy reloaded (");
    const env = await call(proxy, "env_keys");
    expect(env.denied).toBe(false);
    expect(JSON.stringify(env.result)).toContain("PATH");
    proxy.closeStdin();
    expect(await proxy.proc.exited).toBe(0);
  }, 20_000);

  test("a file change alone (no signal) reloads: broken is ignored, fixed applies", async () => {
    const proxy = await startProxy("watch");
    home.writePolicyText("watch", "not json at all");
    expect(await proxy.waitForStderr("Policy reload failed (file_change)")).toContain("keeping the last good policy");
    expect((await call(proxy, "echo")).denied).toBe(false);

    // An editor-style save: a temp file renamed over policy.json.
    const temp = join(home.dir, "policy.json.tmp");
    writeFileSync(temp, policyText(ECHO_AND_ENV), { mode: 0o600 });
    renameSync(temp, home.policyPath("watch"));
    await proxy.waitForStderr("Policy reloaded (file_change)");
    await eventually(async () => !(await call(proxy, "env_keys")).denied, "env_keys to be allowed");
    proxy.closeStdin();
    expect(await proxy.proc.exited).toBe(0);
  }, 20_000);
});
