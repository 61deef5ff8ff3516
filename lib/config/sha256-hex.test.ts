import { describe, expect, test } from "bun:test";
import { normalizeSha256 } from "./sha256-hex.ts";

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
