import { describe, expect, test } from "bun:test";
import { LoginCodes } from "./login-codes.ts";

describe("LoginCodes", () => {
  test("a code is accepted once", () => {
    const codes = new LoginCodes();
    const code = codes.issue();
    expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(codes.consume(code)).toBe(true);
    expect(codes.consume(code)).toBe(false);
  });

  test("an expired code is refused", () => {
    let now = 1_000;
    const codes = new LoginCodes(60_000, () => now);
    const code = codes.issue();
    now += 60_000;
    expect(codes.consume(code)).toBe(false);
  });

  test("a code just inside its life is accepted", () => {
    let now = 1_000;
    const codes = new LoginCodes(60_000, () => now);
    const code = codes.issue();
    now += 59_999;
    expect(codes.consume(code)).toBe(true);
  });

  test("unknown codes are refused and codes are independent", () => {
    const codes = new LoginCodes();
    const a = codes.issue();
    const b = codes.issue();
    expect(codes.consume("guess")).toBe(false);
    expect(codes.consume(b)).toBe(true);
    expect(codes.consume(a)).toBe(true);
  });
});
