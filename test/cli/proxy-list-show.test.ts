// `proxy list` and `proxy show` as real processes, text and JSON.
import { writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { ProxyListEntry } from "../../cli/commands/proxy/list.ts";
import { initializedHome, TempHome } from "../helpers/index.ts";

let home: TempHome;
beforeAll(async () => {
  home = await initializedHome();
});
afterAll(() => home.remove());

describe("with no proxies", () => {
  test("list prints a hint to add one", async () => {
    const r = await home.run(["proxy", "list"]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain("No proxies configured.");
    expect(r.stdout).toContain("mcp-acp proxy add");
  });

  test("list --json is an empty list", async () => {
    const r = await home.run(["proxy", "list", "--json"]);
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ proxies: [] });
  });

  test("show of an unknown proxy exits 1 and says none exist", async () => {
    const r = await home.run(["proxy", "show", "ghost"]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("Error: Proxy 'ghost' not found.");
    expect(r.stderr).toContain("mcp-acp proxy add");
  });
});

describe("with proxies", () => {
  beforeAll(async () => {
    for (const args of [
      ["--name", "fs", "--server-name", "files", "--command", "npx", "--args", "-y,pkg with space"],
      ["--name", "web", "--server-name", "web", "--url", "https://api.example.com/mcp"],
      ["--name", "broken", "--server-name", "b", "--command", "x"],
    ]) {
      expect((await home.run(["proxy", "add", ...args])).exitCode).toBe(0);
    }
    writeFileSync(home.path("config", "proxies", "broken", "config.json"), '{"backend": 1}');
  });

  test("list shows names, server names, transports and backends; a broken config is flagged", async () => {
    const r = await home.run(["proxy", "list"]);
    expect(r.exitCode).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toBe("Proxies (3):");
    expect(lines.find((l) => l.includes("fs"))).toMatch(/fs\s+files\s+stdio\s+npx -y 'pkg with space'/);
    expect(lines.find((l) => l.includes("web"))).toMatch(/web\s+web\s+streamablehttp\s+https:\/\/api\.example\.com\/mcp/);
    expect(lines.find((l) => l.includes("broken"))).toContain("✗ invalid configuration");
  });

  test("list --json is one JSON document with each proxy's backend", async () => {
    const r = await home.run(["proxy", "list", "--json"]);
    expect(r.exitCode).toBe(0);
    const { proxies } = JSON.parse(r.stdout) as { proxies: ProxyListEntry[] };
    expect(proxies.map((p) => p.name)).toEqual(["broken", "fs", "web"]);
    expect(proxies[1]).toMatchObject({ name: "fs", server_name: "files", transport: "stdio", command: "npx", args: ["-y", "pkg with space"] });
    expect(proxies[2]).toMatchObject({ name: "web", transport: "streamablehttp", url: "https://api.example.com/mcp" });
    expect(proxies[0]?.error).toContain("Invalid proxy configuration");
  });

  test("show prints the config and its files", async () => {
    const r = await home.run(["proxy", "show", "web"]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain("Proxy 'web'");
    expect(r.stdout).toContain("https://api.example.com/mcp");
    expect(r.stdout).toContain(home.path("config", "proxies", "web", "config.json"));
    expect(r.stdout).toContain(home.path("config", "proxies", "web", "policy.json"));
  });

  test("show --json is the config plus _computed paths", async () => {
    const r = await home.run(["proxy", "show", "fs", "--json"]);
    expect(r.exitCode).toBe(0);
    const shown = JSON.parse(r.stdout) as { backend: { stdio: { command: string } }; _computed: Record<string, string> };
    expect(shown.backend.stdio.command).toBe("npx");
    expect(shown._computed).toMatchObject({
      name: "fs",
      config_file: home.path("config", "proxies", "fs", "config.json"),
      policy_file: home.path("config", "proxies", "fs", "policy.json"),
    });
    expect(shown._computed.control_socket).toEndWith("proxy_fs.sock");
    expect(shown._computed.log_dir).toEndWith("/mcp-acp/proxies/fs");
  });

  test("show of an unknown proxy lists the available ones", async () => {
    const r = await home.run(["proxy", "show", "nope"]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("Available proxies: broken, fs, web.");
  });

  test("show of a broken config exits 1 naming the field", async () => {
    const r = await home.run(["proxy", "show", "broken"]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("Error: Invalid proxy configuration in");
    expect(r.stderr).toContain("backend");
  });
});
