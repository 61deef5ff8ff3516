import { describe, expect, test } from "bun:test";
import { buildAllowList, hostAllowed, originAllowed } from "./allow-list.ts";

describe("allow-list", () => {
  const list = buildAllowList(9123);

  test("hosts are the loopback names with the bound port", () => {
    for (const host of ["127.0.0.1:9123", "localhost:9123", "[::1]:9123", "LocalHost:9123"]) {
      expect(hostAllowed(list, host)).toBe(true);
    }
    for (const host of [undefined, "", "127.0.0.1", "127.0.0.1:8765", "localhost.evil:9123", "evil:9123", "0.0.0.0:9123"]) {
      expect(hostAllowed(list, host)).toBe(false);
    }
  });

  test("origins follow the port; an absent Origin passes; dev origins only when given", () => {
    expect(originAllowed(list, undefined)).toBe(true);
    expect(originAllowed(list, "http://127.0.0.1:9123")).toBe(true);
    expect(originAllowed(list, "http://localhost:9123/")).toBe(true);
    for (const origin of ["null", "http://127.0.0.1:8765", "https://127.0.0.1:9123", "http://localhost:3000", ""]) {
      expect(originAllowed(list, origin)).toBe(false);
    }
    expect(originAllowed(buildAllowList(9123, ["http://localhost:3000"]), "http://localhost:3000")).toBe(true);
  });
});
