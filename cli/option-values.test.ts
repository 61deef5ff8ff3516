import { expect, test } from "bun:test";
import { CliError, CliErrorCode } from "./errors.ts";
import { parseIntegerOption, requireAllOrNone } from "./option-values.ts";

function usage(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof CliError && error.code === CliErrorCode.Usage) return error.message;
    throw error;
  }
  throw new Error("expected a usage error");
}

test("parseIntegerOption", () => {
  expect(parseIntegerOption(undefined, "--t", { min: 1, max: 9 })).toBeUndefined();
  expect(parseIntegerOption(" 5 ", "--t", { min: 1, max: 9 })).toBe(5);
  expect(usage(() => parseIntegerOption("5s", "--t", { min: 1, max: 9 }))).toContain("expected a whole number");
  expect(usage(() => parseIntegerOption("-1", "--t", { min: 1, max: 9 }))).toContain("expected a whole number");
  expect(usage(() => parseIntegerOption("10", "--t", { min: 1, max: 9 }))).toContain("between 1 and 9");
});

test("requireAllOrNone names the missing options", () => {
  expect(requireAllOrNone({ "--a": undefined, "--b": undefined })).toBe(false);
  expect(requireAllOrNone({ "--a": "x", "--b": "y" })).toBe(true);
  expect(usage(() => requireAllOrNone({ "--a": "x", "--b": undefined, "--c": undefined }))).toStartWith("Missing required option --b, --c:");
});
