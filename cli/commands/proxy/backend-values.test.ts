import { describe, expect, test } from "bun:test";
import { nonEmptyProblem, parseBackendArgs, urlProblem } from "./backend-values.ts";

describe("parseBackendArgs", () => {
  test("splits, trims, strips one pair of quotes, drops empties (spec §16 item 8)", () => {
    expect(parseBackendArgs('-y, "@scope/pkg", /tmp')).toEqual(["-y", "@scope/pkg", "/tmp"]);
    expect(parseBackendArgs("a,, ,b,")).toEqual(["a", "b"]);
    expect(parseBackendArgs(`'single', ""double"", "mismatch'`)).toEqual(["single", '"double"', `"mismatch'`]);
    expect(parseBackendArgs("")).toEqual([]);
  });
});

describe("urlProblem", () => {
  test("accepts http(s) URLs with a host, scheme case-insensitive", () => {
    expect(urlProblem("http://127.0.0.1:3000/mcp")).toBeUndefined();
    expect(urlProblem("HTTPS://example.com")).toBeUndefined();
  });
  test("rejects other schemes, missing scheme and missing host", () => {
    for (const bad of ["ftp://x", "example.com/mcp", "http://", "https:// x", "", "http:/x"]) {
      expect(urlProblem(bad)).toStartWith("Invalid URL");
    }
  });
});

test("nonEmptyProblem", () => {
  expect(nonEmptyProblem("The command")("  ")).toBe("The command must not be empty.");
  expect(nonEmptyProblem("The command")("npx")).toBeUndefined();
});
