// `mcp-acp init` as a real process: files, modes, identity variants, --force semantics.
import { readFileSync, writeFileSync } from "node:fs";
import { afterEach, describe, expect, test } from "bun:test";
import { modeOf, TempHome } from "../helpers/index.ts";

const homes: TempHome[] = [];
afterEach(() => {
  for (const home of homes.splice(0)) home.remove();
});

function newHome(): TempHome {
  const home = new TempHome();
  homes.push(home);
  return home;
}

function managerJson(home: TempHome): Record<string, unknown> {
  return JSON.parse(readFileSync(home.path("config", "manager.json"), "utf8")) as Record<string, unknown>;
}

describe("init", () => {
  test("default: local identity, port 8765, log base, 0600 file in a 0700 dir", async () => {
    const home = newHome();
    const r = await home.run(["init"]);
    expect(r.exitCode).toBe(0);
    const file = home.path("config", "manager.json");
    expect(r.stdout).toContain(`✓ Configuration saved to ${file}`);
    expect(r.stdout).toContain("Next steps:");
    expect(r.stderr).toBe("");
    expect(managerJson(home)).toMatchObject({ schema_version: 1, ui_port: 8765, auth: { mode: "local" } });
    expect(typeof managerJson(home).log_dir).toBe("string");
    expect(modeOf(file)).toBe(0o600);
    expect(modeOf(home.configDir)).toBe(0o700);
  });

  test("OIDC flags give an oidc identity with default scopes", async () => {
    const home = newHome();
    const r = await home.run([
      "init",
      "--oidc-issuer",
      "https://id.example.com/",
      "--oidc-client-id",
      "cli-client",
      "--oidc-audience",
      "https://api.example.com",
    ]);
    expect(r.exitCode).toBe(0);
    expect(managerJson(home).auth).toEqual({
      mode: "oidc",
      oidc: {
        issuer: "https://id.example.com/",
        client_id: "cli-client",
        audience: "https://api.example.com",
        scopes: ["openid", "profile", "email", "offline_access"],
      },
    });
  });

  test("--oidc-scopes, --ui-port and --log-dir are stored", async () => {
    const home = newHome();
    const logs = home.path("my-logs");
    const r = await home.run([
      ...["init", "--oidc-issuer", "http://127.0.0.1:9999", "--oidc-client-id", "c", "--oidc-audience", "a"],
      ...["--oidc-scopes", "openid  email", "--ui-port", "9100", "--log-dir", logs],
    ]);
    expect(r.exitCode).toBe(0);
    expect(managerJson(home)).toMatchObject({
      ui_port: 9100,
      log_dir: logs,
      auth: { mode: "oidc", oidc: { issuer: "http://127.0.0.1:9999", scopes: ["openid", "email"] } },
    });
  });

  test("a relative --log-dir is stored absolute; '~/…' is kept for expansion on use", async () => {
    const home = newHome();
    expect((await home.run(["init", "--log-dir", "rel/logs"], { cwd: home.dir })).exitCode).toBe(0);
    expect(managerJson(home).log_dir).toBe(home.path("rel", "logs"));
    expect((await home.run(["init", "--force", "--log-dir", "~/state"])).exitCode).toBe(0);
    expect(managerJson(home).log_dir).toBe("~/state");
  });

  test("a missing OIDC flag is a usage error naming it; nothing is written", async () => {
    const home = newHome();
    const r = await home.run(["init", "--oidc-issuer", "https://id.example.com", "--oidc-audience", "a"]);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("Error: Missing required option --oidc-client-id");
    expect((await home.run(["config", "path", "--manager"])).stdout.trim()).toBe(home.path("config", "manager.json"));
    expect((await home.run(["config", "validate", "--manager"])).exitCode).toBe(1);
  });

  test("--oidc-scopes alone is a usage error", async () => {
    const r = await newHome().run(["init", "--oidc-scopes", "openid"]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("--oidc-scopes needs --oidc-issuer");
  });

  test("a non-https issuer is rejected with exit 1", async () => {
    const home = newHome();
    const r = await home.run(["init", "--oidc-issuer", "http://id.example.com", "--oidc-client-id", "c", "--oidc-audience", "a"]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toStartWith("Error: Invalid --oidc-issuer 'http://id.example.com': must start with https://");
  });

  test("an out-of-range --ui-port is a usage error", async () => {
    const r = await newHome().run(["init", "--ui-port", "80"]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("must be between 1024 and 65535");
  });

  test("an existing file without --force: exit 1 with the path and a --force hint, file untouched", async () => {
    const home = newHome();
    expect((await home.run(["init", "--ui-port", "9001"])).exitCode).toBe(0);
    const before = readFileSync(home.path("config", "manager.json"), "utf8");
    const r = await home.run(["init"]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe("");
    const [first, hint] = r.stderr.split("\n");
    expect(first).toBe(`Error: Configuration already exists at ${home.path("config", "manager.json")}.`);
    expect(hint).toContain("--force");
    expect(readFileSync(home.path("config", "manager.json"), "utf8")).toBe(before);
  });

  test("--force keeps ui_port, log_dir and identity unless overridden", async () => {
    const home = newHome();
    const logs = home.path("kept-logs");
    const oidc = ["--oidc-issuer", "https://id.example.com", "--oidc-client-id", "c", "--oidc-audience", "a"];
    expect((await home.run(["init", "--ui-port", "9200", "--log-dir", logs, ...oidc])).exitCode).toBe(0);

    expect((await home.run(["init", "--force"])).exitCode).toBe(0);
    expect(managerJson(home)).toMatchObject({ ui_port: 9200, log_dir: logs, auth: { mode: "oidc", oidc: { client_id: "c" } } });

    expect((await home.run(["init", "--force", "--ui-port", "9300"])).exitCode).toBe(0);
    expect(managerJson(home)).toMatchObject({ ui_port: 9300, log_dir: logs, auth: { mode: "oidc" } });
  });

  test("--force over an invalid file warns and starts from defaults", async () => {
    const home = newHome();
    expect((await home.run(["init"])).exitCode).toBe(0);
    writeFileSync(home.path("config", "manager.json"), "{ not json");
    const r = await home.run(["init", "--force"]);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain("Warning:");
    expect(managerJson(home)).toMatchObject({ ui_port: 8765, auth: { mode: "local" } });
  });
});
