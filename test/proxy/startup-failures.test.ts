// `mcp-acp start` refusing to run: the exit code of each failure class, the message on stderr,
// the bootstrap.jsonl record — and never a byte on stdout, which belongs to MCP JSON-RPC.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { proxyBootstrapLogPath, proxyConfigPath } from "../../lib/paths/index.ts";
import { modeOf, TempHome } from "../helpers/index.ts";
import { BUN, ECHO_SERVER, ProxyHome } from "./support.ts";

let home: ProxyHome;
beforeAll(async () => {
  home = await ProxyHome.create();
  home.addStdioProxy("good", BUN, [ECHO_SERVER]);
  home.writePolicy("good", [{ effect: "allow", conditions: { tool_name: "echo" } }]);
});
afterAll(async () => {
  await home.remove();
});

describe("start: refusals before a proxy is known", () => {
  test("without --proxy: the proxy list and how to start one, on stderr, exit 1", async () => {
    const result = await home.run(["start"]);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("good");
    expect(result.stderr).toContain("Start a specific proxy with: mcp-acp start --proxy <name>");
  });

  test("missing manager.json: exit 1 with the init hint", async () => {
    const bare = new TempHome("acp-");
    try {
      const result = await bare.run(["start", "--proxy", "good"]);
      expect(result.exitCode).toBe(1);
      expect(result.stdout).toBe("");
      expect(result.stderr).toContain("Manager config not found");
      expect(result.stderr).toContain("mcp-acp init");
    } finally {
      bare.remove();
    }
  });

  test("unknown proxy: exit 1 listing the available names", async () => {
    const result = await home.run(["start", "--proxy", "nope"]);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("Proxy 'nope' not found.");
    expect(result.stderr).toContain("Available proxies: good.");
  });

  test("a name that is not a valid proxy name is 'not found', never a path", async () => {
    const result = await home.run(["start", "--proxy", "../good"]);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("not found");
  });

  test("start --help prints the command's help", async () => {
    const result = await home.run(["start", "--help"]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain("--proxy");
    expect(result.stdout).toContain("--headless");
  });
});

describe("start: refusals recorded in bootstrap.jsonl", () => {
  test("invalid config.json: exit 1, dotted errors, config_validation_failed (file 0600)", async () => {
    home.addStdioProxy("badcfg", BUN, [ECHO_SERVER]);
    home.writePolicy("badcfg", []);
    const file = proxyConfigPath(home.paths, "badcfg");
    const config = JSON.parse(await Bun.file(file).text()) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({ ...config, hitl: { timeout_seconds: 1 }, surprise: true }));
    const result = await home.run(["start", "--proxy", "badcfg"]);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("hitl.timeout_seconds: must be an integer between 5 and 300");
    expect(result.stderr).toContain("surprise: unknown key");
    const [record] = home.bootstrapLines("badcfg");
    expect(record).toMatchObject({
      event: "config_validation_failed",
      component: "cli",
      source: "cli_start",
      error_type: "ConfigError",
      exit_code: 1,
    });
    expect(String(record?.error_message)).toContain("hitl.timeout_seconds");
    expect(Date.parse(String(record?.time))).not.toBeNaN();
    expect(modeOf(proxyBootstrapLogPath(home.paths, "badcfg"))).toBe(0o600);
  });

  test("invalid policy.json: exit 11 with dotted errors, policy_validation_failed", async () => {
    home.addStdioProxy("badpol", BUN, [ECHO_SERVER]);
    home.writePolicyText("badpol", JSON.stringify({ version: "1", default_action: "deny", rules: [{ effect: "maybe", conditions: { tool_name: "x" } }] }));
    const result = await home.run(["start", "--proxy", "badpol"]);
    expect(result.exitCode).toBe(11);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("rules.0.effect");
    expect(home.bootstrapLines("badpol").at(-1)).toMatchObject({ event: "policy_validation_failed", exit_code: 11, error_type: "PolicyError" });
  });

  test("missing policy.json: exit 11, policy_not_found", async () => {
    home.addStdioProxy("nopol", BUN, [ECHO_SERVER]);
    const result = await home.run(["start", "--proxy", "nopol"]);
    expect(result.exitCode).toBe(11);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("not found");
    expect(home.bootstrapLines("nopol").at(-1)).toMatchObject({ event: "policy_not_found", exit_code: 11 });
  });

  test("a backend command that does not exist: exit 1, config_not_found", async () => {
    home.addStdioProxy("nocmd", "/nonexistent/mcp-server", []);
    home.writePolicy("nocmd", []);
    const result = await home.run(["start", "--proxy", "nocmd"]);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("/nonexistent/mcp-server");
    expect(home.bootstrapLines("nocmd").at(-1)).toMatchObject({ event: "config_not_found", exit_code: 1 });
  });

  test("an unreachable HTTP backend: exit 1 after the retries, with the classified message", async () => {
    const port = Bun.serve({ port: 0, fetch: () => new Response("") });
    const url = `http://127.0.0.1:${port.port}/mcp`;
    await port.stop(true); // nothing listens there any more: connection refused
    home.addHttpProxy("nohttp", url);
    home.writePolicy("nohttp", []);
    const result = await home.run(["start", "--proxy", "nohttp"]);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("Backend not reachable after 3 attempts");
    expect(home.bootstrapLines("nohttp").at(-1)).toMatchObject({ event: "backend_connection_failed", exit_code: 1, error_type: "BackendError" });
  }, 30_000);

  test("OIDC identity in manager.json: exit 13 instead of running unauthenticated", async () => {
    const oidc = await ProxyHome.create();
    try {
      const init = await oidc.run(["init", "--force", "--oidc-issuer", "https://issuer.example", "--oidc-client-id", "c", "--oidc-audience", "a"]);
      expect(init.exitCode).toBe(0);
      oidc.addStdioProxy("p", BUN, [ECHO_SERVER]);
      oidc.writePolicy("p", []);
      const result = await oidc.run(["start", "--proxy", "p"]);
      expect(result.exitCode).toBe(13);
      expect(result.stdout).toBe("");
      expect(result.stderr).toContain("OIDC");
      expect(oidc.bootstrapLines("p").at(-1)).toMatchObject({ event: "auth_not_configured", exit_code: 13 });
    } finally {
      await oidc.remove();
    }
  });

  test("invalid manager.json: exit 16, never defaults", async () => {
    const broken = await ProxyHome.create();
    try {
      broken.addStdioProxy("p", BUN, [ECHO_SERVER]);
      broken.writePolicy("p", []);
      writeFileSync(`${broken.paths.configDir}/manager.json`, JSON.stringify({ ui_port: 1, auth: { mode: "local" } }));
      const result = await broken.run(["start", "--proxy", "p"]);
      expect(result.exitCode).toBe(16);
      expect(result.stdout).toBe("");
      expect(result.stderr).toContain("ui_port");
      expect(broken.bootstrapLines("p").at(-1)).toMatchObject({ event: "manager_config_invalid", exit_code: 16 });
    } finally {
      await broken.remove();
    }
  });
});
