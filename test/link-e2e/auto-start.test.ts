// A proxy started by an MCP client starts the manager when none runs (detached, so it outlives
// the proxy), unless it runs with --headless.
import { afterEach, describe, expect, test } from "bun:test";
import { readManagerStatus } from "../../services/manager/index.ts";
import { spawnProxyWithEnv } from "../audit/support.ts";
import { controlClient } from "../hitl/support.ts";
import { until } from "../manager-e2e/support.ts";
import { CLI_ENTRY, REPO_ROOT } from "../helpers/index.ts";
import { BUN, ECHO_SERVER, ProxyHome, RawProxy } from "../proxy/support.ts";

let homes: ProxyHome[] = [];

afterEach(async () => {
  for (const home of homes.splice(0)) {
    await home.run(["manager", "stop"]);
    await home.remove();
  }
});

async function newHome(): Promise<ProxyHome> {
  const home = await ProxyHome.create();
  homes.push(home);
  home.addStdioProxy("fs", BUN, [ECHO_SERVER]);
  home.writePolicy("fs", [{ id: "allow-echo", effect: "allow", conditions: { tool_name: "echo" } }]);
  return home;
}

describe("manager auto-start", () => {
  test("a proxy starts the manager when none runs and attaches to it", async () => {
    const home = await newHome();
    const proxy = spawnProxyWithEnv(home, "fs", { MCP_ACP_NO_AUTOSTART: "" });
    await proxy.initialize();
    await until(async () => (await readManagerStatus(home.paths)).health !== undefined, "the auto-started manager to answer", 20_000);
    const control = await controlClient(home, "fs");
    await until(async () => (await control.getInfo({})).info?.managerAttached === true, "the proxy to attach", 20_000);
  }, 40_000);

  test("--headless neither starts nor attaches to a manager", async () => {
    const home = await newHome();
    const proc = Bun.spawn([BUN, CLI_ENTRY, "start", "--proxy", "fs", "--headless"], {
      cwd: REPO_ROOT,
      env: { ...home.env(), MCP_ACP_NO_AUTOSTART: "" },
      stdin: "pipe",
      stdout: "pipe",
      stderr: "pipe",
    });
    const proxy = new RawProxy(proc);
    home.defer(() => proxy.kill());
    await proxy.initialize();
    const control = await controlClient(home, "fs");
    expect((await control.getInfo({})).info?.managerAttached).toBe(false);
    // Give a (wrongly) started link the time the first test's auto-start needs, then look.
    await Bun.sleep(3000);
    expect((await readManagerStatus(home.paths)).running).toBe(false);
    expect((await control.getInfo({})).info?.managerAttached).toBe(false);
  }, 30_000);
});
