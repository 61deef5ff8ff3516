import { describe, expect, test } from "bun:test";
import { backoffDelay } from "./backoff.ts";
import { LINK_CLIENT_DEFAULTS } from "./link-options.ts";

describe("backoffDelay", () => {
  test("doubles from 1 s up to the 10 s cap", () => {
    const none = () => 0;
    expect([0, 1, 2, 3, 4, 5, 50].map((n) => backoffDelay(n, LINK_CLIENT_DEFAULTS, none))).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000, 10_000]);
  });

  test("adds up to jitter × the delay", () => {
    expect(backoffDelay(0, LINK_CLIENT_DEFAULTS, () => 0.5)).toBe(1100);
    expect(backoffDelay(9, LINK_CLIENT_DEFAULTS, () => 0.999)).toBe(11_998);
  });
});
