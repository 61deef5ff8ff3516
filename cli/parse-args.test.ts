import { describe, expect, test } from "bun:test";
import type { ArgsDef } from "citty";
import { CliError, CliErrorCode } from "./errors.ts";
import { parseCommandLine } from "./parse-args.ts";

const def = {
  name: { type: "string", alias: "n" },
  args: { type: "string" },
  transport: { type: "enum", options: ["stdio", "http"] },
  yes: { type: "boolean", alias: "y" },
  level: { type: "string", default: "INFO" },
} satisfies ArgsDef;

function usageMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).code).toBe(CliErrorCode.Usage);
    return (error as CliError).message;
  }
  throw new Error("expected a usage error");
}

describe("parseCommandLine", () => {
  test("long, short, inline and boolean forms", () => {
    const { values, help } = parseCommandLine(["-n", "fs", "--transport=http", "-y"], def);
    expect(help).toBe(false);
    expect(values).toEqual({ name: "fs", transport: "http", yes: true, level: "INFO" });
  });

  test("an option value may start with a dash", () => {
    expect(parseCommandLine(["--args", "-y, pkg"], def).values.args).toBe("-y, pkg");
  });

  test("help wins over everything else, including missing values", () => {
    expect(parseCommandLine(["--bogus", "--help"], def).help).toBe(true);
    expect(parseCommandLine(["--name", "-h"], def).help).toBe(true);
    expect(parseCommandLine(["--name", "x", "--help"], def).help).toBe(true);
    expect(parseCommandLine(["-h"], def).help).toBe(true);
  });

  test("--no-<flag> turns a boolean off; it is unknown for options that take a value", () => {
    expect(parseCommandLine(["--no-yes"], def).values.yes).toBe(false);
    expect(usageMessage(() => parseCommandLine(["--no-yes", "-y"], def))).toBe("Option --yes was given more than once.");
    expect(usageMessage(() => parseCommandLine(["--no-name"], def))).toBe("Unknown option '--no-name'.");
  });

  test("unknown options, missing values and repeats are usage errors", () => {
    expect(usageMessage(() => parseCommandLine(["--nope"], def))).toBe("Unknown option '--nope'.");
    expect(usageMessage(() => parseCommandLine(["--name"], def))).toBe("Option --name needs a value.");
    expect(usageMessage(() => parseCommandLine(["--name", "--yes"], def))).toBe("Option --name needs a value.");
    expect(usageMessage(() => parseCommandLine(["-n", "a", "--name", "b"], def))).toBe("Option --name was given more than once.");
    expect(usageMessage(() => parseCommandLine(["--yes=1"], def))).toBe("Option --yes does not take a value.");
  });

  test("enum values are checked", () => {
    expect(usageMessage(() => parseCommandLine(["--transport", "tcp"], def))).toContain("expected one of stdio, http");
  });

  test("positionals: required, extra, and after --", () => {
    const withPositional = { target: { type: "positional" }, json: { type: "boolean" } } satisfies ArgsDef;
    expect(parseCommandLine(["fs", "--json"], withPositional).values).toEqual({ target: "fs", json: true });
    expect(parseCommandLine(["--", "-odd"], withPositional).values.target).toBe("-odd");
    expect(usageMessage(() => parseCommandLine([], withPositional))).toBe("Missing argument <TARGET>.");
    expect(usageMessage(() => parseCommandLine(["a", "b"], withPositional))).toBe("Unexpected argument 'b'.");
    expect(usageMessage(() => parseCommandLine(["stray"], def))).toBe("Unexpected argument 'stray'.");
  });

  test("required options", () => {
    const required = { id: { type: "string", required: true } } satisfies ArgsDef;
    expect(usageMessage(() => parseCommandLine([], required))).toBe("Missing required option --id.");
  });
});
