// `config show | path | validate` as real processes.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { initializedHome, TempHome } from "../helpers/index.ts";

let home: TempHome;
let managerFile: string;
let fsFile: string;
beforeAll(async () => {
  home = await initializedHome();
  managerFile = home.path("config", "manager.json");
  fsFile = home.path("config", "proxies", "fs", "config.json");
  expect((await home.run(["proxy", "add", "--name", "fs", "--server-name", "files", "--command", "npx"])).exitCode).toBe(0);
});
afterAll(() => home.remove());

describe("config show", () => {
  test("--manager --json adds _computed.config_file", async () => {
    const r = await home.run(["config", "show", "--manager", "--json"]);
    expect(r.exitCode).toBe(0);
    const shown = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(shown).toMatchObject({ ui_port: 8765, auth: { mode: "local" }, _computed: { config_file: managerFile } });
  });

  test("--proxy NAME --json (and -p)", async () => {
    const r = await home.run(["config", "show", "-p", "fs", "--json"]);
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ backend: { server_name: "files" }, _computed: { config_file: fsFile } });
  });

  test("text output names the file", async () => {
    const r = await home.run(["config", "show", "-m"]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain(managerFile);
    expect(r.stdout).toContain('"ui_port": 8765');
  });

  test("neither or both selectors are usage errors", async () => {
    for (const args of [["config", "show"], ["config", "show", "--manager", "--proxy", "fs"]]) {
      const r = await home.run(args);
      expect(r.exitCode).toBe(2);
      expect(r.stdout).toBe("");
    }
  });

  test("an unknown proxy exits 1", async () => {
    const r = await home.run(["config", "show", "--proxy", "nope"]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("Error: Proxy 'nope' not found.");
  });
});

describe("config path", () => {
  test("one path for --manager / --proxy", async () => {
    expect((await home.run(["config", "path", "--manager"])).stdout).toBe(`${managerFile}\n`);
    expect((await home.run(["config", "path", "--proxy", "fs"])).stdout).toBe(`${fsFile}\n`);
  });

  test("overview marks existing paths ✓ and missing ones ✗", async () => {
    const r = await home.run(["config", "path"]);
    expect(r.exitCode).toBe(0);
    const line = (label: string): string => r.stdout.split("\n").find((l) => l.includes(label)) ?? "";
    expect(line("Manager config")).toStartWith("✓");
    expect(line("Manager config")).toContain(managerFile);
    expect(line("Proxy 'fs' config")).toStartWith("✓");
    expect(line("Proxy 'fs' policy")).toStartWith("✓");
    expect(line("Runtime directory")).toContain(home.path("run"));
    expect(line("Runtime directory").startsWith("✓")).toBe(existsSync(home.path("run")));
  });

  test("both selectors are a usage error", async () => {
    expect((await home.run(["config", "path", "-m", "-p", "fs"])).exitCode).toBe(2);
  });
});

describe("config validate", () => {
  test("all valid: ✓ lines, exit 0", async () => {
    const r = await home.run(["config", "validate"]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^✓ Manager config/m);
    expect(r.stdout).toMatch(/^✓ Proxy 'fs'/m);
    expect(r.stderr).toBe("");
  });

  test("an invalid proxy file: ✗ with the field, exit 1; --manager alone still passes", async () => {
    const original = readFileSync(fsFile, "utf8");
    try {
      writeFileSync(fsFile, original.replace('"log_level": "INFO"', '"log_level": "LOUD"'));
      const r = await home.run(["config", "validate"]);
      expect(r.exitCode).toBe(1);
      expect(r.stdout).toMatch(/^✓ Manager config/m);
      expect(r.stdout).toMatch(/^✗ Proxy 'fs'/m);
      expect(r.stdout).toContain("- log_level:");
      expect(r.stderr).toContain("Error: 1 of 2 configuration files is invalid.");
      expect((await home.run(["config", "validate", "--manager"])).exitCode).toBe(0);
      expect((await home.run(["config", "validate", "--proxy", "fs"])).exitCode).toBe(1);
    } finally {
      writeFileSync(fsFile, original);
    }
  });

  test("the manager check is strict: an unknown key fails", async () => {
    const original = readFileSync(managerFile, "utf8");
    try {
      const raw = JSON.parse(original) as Record<string, unknown>;
      writeFileSync(managerFile, JSON.stringify({ ...raw, ui_prot: 1 }));
      const r = await home.run(["config", "validate", "--manager"]);
      expect(r.exitCode).toBe(1);
      expect(r.stdout).toContain("ui_prot");
    } finally {
      writeFileSync(managerFile, original);
    }
  });

  test("not initialized: the manager check fails", async () => {
    const empty = new TempHome();
    try {
      const r = await empty.run(["config", "validate"]);
      expect(r.exitCode).toBe(1);
      expect(r.stdout).toMatch(/^✗ Manager config/m);
      expect(r.stdout).toContain("mcp-acp init");
    } finally {
      empty.remove();
    }
  });
});
