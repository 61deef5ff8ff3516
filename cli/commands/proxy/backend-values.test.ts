import { describe, expect, test } from "bun:test";
import { nonEmptyProblem, normalizeSha256, parseBackendArgs, urlProblem } from "./backend-values.ts";

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

describe("normalizeSha256", () => {
  test("64 hex characters, lower-cased", () => {
    const upper = "AB".repeat(32);
    expect(normalizeSha256(upper)).toBe("ab".repeat(32));
    expect(normalizeSha256(`  ${"0".repeat(64)} `)).toBe("0".repeat(64));
  });
  test("wrong length or non-hex is rejected", () => {
    expect(normalizeSha256("a".repeat(63))).toBeUndefined();
    expect(normalizeSha256("g".repeat(64))).toBeUndefined();
  });
});

test("nonEmptyProblem", () => {
  expect(nonEmptyProblem("The command")("  ")).toBe("The command must not be empty.");
  expect(nonEmptyProblem("The command")("npx")).toBeUndefined();
});
