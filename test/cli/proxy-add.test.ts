// `mcp-acp proxy add` without a terminal: flags only, real files checked on disk.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { ClientSnippet, ProxyConfig } from "../../lib/config/index.ts";
import { initializedHome, modeOf, TempHome, type CliResult } from "../helpers/index.ts";

let home: TempHome;
beforeAll(async () => {
  home = await initializedHome();
});
afterAll(() => home.remove());

function configOf(name: string): ProxyConfig {
  return JSON.parse(readFileSync(home.path("config", "proxies", name, "config.json"), "utf8")) as ProxyConfig;
}

function add(...args: string[]): Promise<CliResult> {
  return home.run(["proxy", "add", ...args]);
}

function expectFailure(r: CliResult, exitCode: number, message: string): void {
  expect(r.exitCode).toBe(exitCode);
  expect(r.stdout).toBe("");
  expect(r.stderr).toContain(`Error: ${message}`);
}

describe("stdio proxy", () => {
  let result: CliResult;
  beforeAll(async () => {
    result = await add("--name", "fs", "--server-name", "Filesystem Server", "--command", "npx", "--args", '-y, "@scope/pkg", /tmp');
  });

  test("exit 0, paths and client snippet on stdout", () => {
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toBe("");
    expect(result.stdout).toContain("✓ Proxy 'fs' created");
    expect(result.stdout).toContain(home.path("config", "proxies", "fs", "config.json"));
    expect(result.stdout).toContain(home.path("config", "proxies", "fs", "policy.json"));
    expect(result.stdout).toContain('"mcpServers"');
    expect(result.stdout).toContain("claude_desktop_config.json");
    expect(result.stdout).not.toContain("Test manually");
    const snippet = JSON.parse(result.stdout.slice(result.stdout.indexOf("{"), result.stdout.lastIndexOf("}") + 1)) as ClientSnippet;
    expect(snippet.mcpServers.fs?.args.slice(-3)).toEqual(["start", "--proxy", "fs"]);
  });

  test("the printed snippet equals `install mcp-json --proxy fs`", async () => {
    const printed = result.stdout.slice(result.stdout.indexOf("{"), result.stdout.lastIndexOf("}") + 1);
    const installed = await home.run(["install", "mcp-json", "--proxy", "fs"]);
    expect(JSON.parse(printed)).toEqual(JSON.parse(installed.stdout));
  });

  test("config.json: backend, args parsing, defaults, id, timestamp", () => {
    const config = configOf("fs");
    expect(config.backend).toEqual({
      server_name: "Filesystem Server",
      transport: "stdio",
      stdio: { command: "npx", args: ["-y", "@scope/pkg", "/tmp"], attestation: null },
    });
    expect(config.proxy_id).toMatch(/^px_[a-f0-9]{8}:filesystem-server$/);
    expect(config.created_at).toEndWith("Z");
    expect(config.hitl).toEqual({ timeout_seconds: 60, default_on_timeout: "deny", approval_ttl_seconds: 600 });
    expect(config.log_level).toBe("INFO");
  });

  test("deny-all policy.json; 0600 files in 0700 dirs", () => {
    const dir = home.path("config", "proxies", "fs");
    expect(JSON.parse(readFileSync(`${dir}/policy.json`, "utf8"))).toEqual({ version: "1", default_action: "deny", rules: [] });
    expect(modeOf(`${dir}/config.json`)).toBe(0o600);
    expect(modeOf(`${dir}/policy.json`)).toBe(0o600);
    expect(modeOf(dir)).toBe(0o700);
    expect(modeOf(home.path("config", "proxies"))).toBe(0o700);
  });

  test("upper-case --attestation-sha256 is stored lower-case", async () => {
    const sha = "AB12".repeat(16);
    const r = await add("--name", "attested", "--server-name", "a", "--command", "/usr/bin/env", "--attestation-sha256", sha);
    expect(r.exitCode).toBe(0);
    expect(configOf("attested").backend.stdio?.attestation).toEqual({ expected_sha256: sha.toLowerCase(), require_signature: false });
  });
});

describe("http proxy", () => {
  test("--url gives streamablehttp with the default timeout", async () => {
    const r = await add("--name", "web", "--server-name", "web", "--url", "HTTPS://api.example.com/mcp");
    expect(r.exitCode).toBe(0);
    expect(configOf("web").backend).toEqual({
      server_name: "web",
      transport: "streamablehttp",
      http: { url: "HTTPS://api.example.com/mcp", timeout: 30, credential_key: null },
    });
  });

  test("--transport http maps to streamablehttp; --timeout stored", async () => {
    const r = await add("--name", "web2", "--server-name", "w", "--transport", "http", "--url", "http://127.0.0.1:1/mcp", "--timeout", "12");
    expect(r.exitCode).toBe(0);
    expect(configOf("web2").backend.transport).toBe("streamablehttp");
    expect(configOf("web2").backend.http?.timeout).toBe(12);
  });

  test("--command and --url together default to auto", async () => {
    const r = await add("--name", "both", "--server-name", "b", "--command", "srv", "--url", "http://127.0.0.1:2/mcp");
    expect(r.exitCode).toBe(0);
    expect(configOf("both").backend.transport).toBe("auto");
  });

  test("mTLS with three existing files is stored with absolute paths", async () => {
    for (const f of ["c.pem", "k.pem", "ca.pem"]) writeFileSync(home.path(f), "pem");
    const r = await home.run(
      ["proxy", "add", "--name", "secure", "--server-name", "s", "--url", "https://x.example", "--mtls-cert", "c.pem", "--mtls-key", "k.pem", "--mtls-ca", "ca.pem"],
      { cwd: home.dir },
    );
    expect(r.exitCode).toBe(0);
    expect(configOf("secure").mtls).toEqual({
      client_cert_path: home.path("c.pem"),
      client_key_path: home.path("k.pem"),
      ca_bundle_path: home.path("ca.pem"),
    });
  });
});

describe("rejections", () => {
  test("invalid names exit 1 with the rule", async () => {
    for (const [name, rule] of [
      ["_x", "cannot start with '_' or '.'"],
      [".x", "cannot start with '_' or '.'"],
      ["a".repeat(65), "too long"],
      ["Manager", "reserved"],
      ["a.b", "only letters"],
    ]) {
      expectFailure(await add("--name", name ?? "", "--server-name", "s", "--command", "c"), 1, `Invalid proxy name`);
      expect((await add("--name", name ?? "", "--server-name", "s", "--command", "c")).stderr).toContain(rule ?? "");
    }
  });

  test("an existing name, also in another case, exits 1", async () => {
    expectFailure(await add("--name", "fs", "--server-name", "s", "--command", "c"), 1, "Proxy 'fs' already exists.");
    expectFailure(await add("--name", "FS", "--server-name", "s", "--command", "c"), 1, "Proxy 'FS' clashes with existing proxy 'fs'");
  });

  test("invalid or scheme-less URLs exit 1 with 'Invalid URL'", async () => {
    for (const url of ["example.com/mcp", "ftp://example.com", "http://"]) {
      expectFailure(await add("--name", "bad-url", "--server-name", "s", "--url", url), 1, "Invalid URL");
    }
    expect(existsSync(home.path("config", "proxies", "bad-url"))).toBe(false);
  });

  test("partial mTLS is a usage error naming the missing flags", async () => {
    writeFileSync(home.path("only.pem"), "pem");
    const r = await add("--name", "m1", "--server-name", "s", "--url", "https://x", "--mtls-cert", home.path("only.pem"));
    expectFailure(r, 2, "Missing required option --mtls-key, --mtls-ca");
  });

  test("a nonexistent mTLS file exits 1 naming it", async () => {
    writeFileSync(home.path("c2.pem"), "pem");
    const r = await add(
      ...["--name", "m2", "--server-name", "s", "--url", "https://x"],
      ...["--mtls-cert", home.path("c2.pem"), "--mtls-key", home.path("missing.pem"), "--mtls-ca", home.path("c2.pem")],
    );
    expectFailure(r, 1, `mTLS client key not found: ${home.path("missing.pem")}`);
  });

  test("a bad SHA-256 exits 1", async () => {
    expectFailure(await add("--name", "sha", "--server-name", "s", "--command", "c", "--attestation-sha256", "abc"), 1, "Invalid --attestation-sha256");
  });

  test("a bad --timeout is a usage error", async () => {
    expectFailure(await add("--name", "t", "--server-name", "s", "--url", "https://x", "--timeout", "301"), 2, "Invalid value '301' for --timeout: must be between 1 and 300");
  });

  test("options of the other transport are usage errors", async () => {
    expectFailure(await add("--name", "t", "--server-name", "s", "--transport", "stdio", "--command", "c", "--url", "https://x"), 2, "--url cannot be used with --transport stdio");
    expectFailure(await add("--name", "t", "--server-name", "s", "--transport", "http", "--url", "https://x", "--args", "a"), 2, "--args cannot be used with --transport http");
  });

  test("without a terminal, missing required values are usage errors naming the flag", async () => {
    expectFailure(await add("--server-name", "s", "--command", "c"), 2, "Missing required option --name.");
    expectFailure(await add("--name", "n1", "--command", "c"), 2, "Missing required option --server-name.");
    expectFailure(await add("--name", "n1", "--server-name", "s"), 2, "Missing required option --command (stdio backend) or --url");
    expectFailure(await add("--name", "n1", "--server-name", "s", "--transport", "auto", "--command", "c"), 2, "Missing required option --url.");
  });

  test("not initialized exits 1 with an init hint", async () => {
    const empty = new TempHome();
    try {
      const r = await empty.run(["proxy", "add", "--name", "x", "--server-name", "s", "--command", "c"]);
      expectFailure(r, 1, "Not initialized.");
      expect(r.stderr).toContain("mcp-acp init");
    } finally {
      empty.remove();
    }
  });
});

describe("duplicate backend", () => {
  test("same command and args: warning on stderr, still created without a terminal", async () => {
    const r = await add("--name", "fs-copy", "--server-name", "s", "--command", "npx", "--args", "-y,@scope/pkg,/tmp");
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain("Warning: Proxy 'fs' already uses the same backend.");
  });

  test("same URL with --yes: warning, created", async () => {
    const r = await add("--name", "web-copy", "--server-name", "s", "--url", "https://api.example.com/mcp", "--yes");
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain("Warning: Proxy 'web' already uses the same backend.");
  });

  test("different args: no warning", async () => {
    const r = await add("--name", "fs-other", "--server-name", "s", "--command", "npx", "--args", "-y,@scope/pkg,/var");
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe("");
  });
});
