// Root behaviour of the real `mcp-acp` process: version, help, exit codes, output channels.
import { readFileSync } from "node:fs";
import { afterAll, describe, expect, test } from "bun:test";
import packageJson from "../../package.json" with { type: "json" };
import { CLI_ENTRY, TempHome } from "../helpers/index.ts";

const home = new TempHome();
afterAll(() => home.remove());

const COMMAND_PATHS = [
  [],
  ["init"],
  ["proxy"],
  ["proxy", "add"],
  ["proxy", "list"],
  ["proxy", "show"],
  ["config"],
  ["config", "show"],
  ["config", "path"],
  ["config", "validate"],
  ["config", "edit"],
  ["install"],
  ["install", "mcp-json"],
];

describe("version", () => {
  for (const flag of ["--version", "-v"]) {
    test(`${flag} prints 'mcp-acp <version>' from package.json`, async () => {
      const r = await home.run([flag]);
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toBe(`mcp-acp ${packageJson.version}\n`);
      expect(r.stderr).toBe("");
    });
  }
});

test("cli/main.ts runs directly through its #!/usr/bin/env bun line", async () => {
  const child = Bun.spawn([CLI_ENTRY, "--version"], { env: home.env(), stdout: "pipe", stderr: "pipe" });
  expect(await child.exited).toBe(0);
  expect(await new Response(child.stdout).text()).toBe(`mcp-acp ${packageJson.version}\n`);
  expect(readFileSync(CLI_ENTRY, "utf8").split("\n")[0]).toBe("#!/usr/bin/env bun");
});

describe("help", () => {
  test("no subcommand prints the root help with quick-start examples, exit 0", async () => {
    const r = await home.run([]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain("USAGE mcp-acp");
    expect(r.stdout).toContain("Quick start:");
    for (const name of ["init", "proxy", "config", "install"]) expect(r.stdout).toContain(name);
    expect(r.stderr).toBe("");
  });

  for (const path of COMMAND_PATHS) {
    for (const flag of ["--help", "-h"]) {
      test(`mcp-acp ${[...path, flag].join(" ")}`, async () => {
        const r = await home.run([...path, flag]);
        expect(r.exitCode).toBe(0);
        expect(r.stdout).toContain(`USAGE mcp-acp${path.length > 0 ? ` ${path.join(" ")}` : ""}`);
        expect(r.stdout).not.toContain("undefined");
        expect(r.stdout).not.toContain("\u001B[");
        expect(r.stderr).toBe("");
      });
    }
  }

  test("a group without a subcommand prints its help", async () => {
    const r = await home.run(["proxy"]);
    expect(r.exitCode).toBe(0);
    for (const name of ["add", "list", "show"]) expect(r.stdout).toContain(name);
  });

  test("help wins over other problems on the line", async () => {
    const r = await home.run(["proxy", "add", "--bogus", "--help"]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain("USAGE mcp-acp proxy add");
  });
});

describe("usage errors exit 2 with usage and message on stderr, nothing on stdout", () => {
  const cases: [string, string[], string][] = [
    ["unknown command", ["bogus"], "Unknown command 'bogus'"],
    ["unknown subcommand", ["proxy", "bogus"], "Unknown command 'bogus'"],
    ["unknown option on a group", ["--bogus"], "Unknown option '--bogus'"],
    ["unknown option on a command", ["proxy", "list", "--bogus"], "Unknown option '--bogus'"],
    ["missing option value", ["proxy", "add", "--name"], "Option --name needs a value"],
    ["bad enum value", ["proxy", "add", "--transport", "tcp"], "Invalid value 'tcp' for --transport"],
    ["bad number", ["init", "--ui-port", "eighty"], "Invalid value 'eighty' for --ui-port"],
    ["missing positional", ["proxy", "show"], "Missing argument <NAME>"],
    ["extra argument", ["proxy", "list", "extra"], "Unexpected argument 'extra'"],
    ["--version on a subcommand", ["proxy", "list", "--version"], "Unknown option '--version'"],
  ];
  for (const [label, args, message] of cases) {
    test(label, async () => {
      const r = await home.run(args);
      expect(r.exitCode).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toContain("USAGE mcp-acp");
      expect(r.stderr).toContain(`Error: ${message}`);
    });
  }
});

describe("other errors: one Error line and a hint, exit 1; stack only with --debug", () => {
  test("without --debug no stack trace", async () => {
    const r = await home.run(["proxy", "show", "nope"]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe("");
    const lines = r.stderr.trimEnd().split("\n");
    expect(lines[0]).toBe("Error: Proxy 'nope' not found.");
    expect(lines[1]).toStartWith("  ");
    expect(lines).toHaveLength(2);
    expect(r.stderr).not.toContain("    at ");
  });

  test("--debug (anywhere) and MCP_ACP_DEBUG=1 add the stack trace", async () => {
    for (const r of [
      await home.run(["--debug", "proxy", "show", "nope"]),
      await home.run(["proxy", "show", "nope", "--debug"]),
      await home.run(["proxy", "show", "nope"], { env: { MCP_ACP_DEBUG: "1" } }),
    ]) {
      expect(r.exitCode).toBe(1);
      expect(r.stdout).toBe("");
      expect(r.stderr).toContain("Error: Proxy 'nope' not found.");
      expect(r.stderr).toContain("    at ");
    }
  });
});
