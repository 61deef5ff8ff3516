import { describe, expect, test } from "bun:test";
import { formatCountdown, formatLatency, formatMsShort, truncateLeft, truncateRight } from "./format.ts";

describe("formats", () => {
  test("countdown", () => {
    expect(formatCountdown(65_000)).toBe("1m 5s");
    expect(formatCountdown(9_100)).toBe("10s");
    expect(formatCountdown(3_720_000)).toBe("1h 2m");
    expect(formatCountdown(0)).toBe("expired");
    expect(formatCountdown(-5)).toBe("expired");
  });
  test("latency on cards", () => {
    expect(formatLatency(14.2)).toBe("~14ms");
    expect(formatLatency(1234)).toBe("~1.2s");
    expect(formatLatency(2.345)).toBe("~2.3ms");
    expect(formatLatency(undefined)).toBe("–");
    expect(formatLatency(5, 0)).toBe("–");
  });
  test("axis labels", () => {
    expect(formatMsShort(0)).toBe("0");
    expect(formatMsShort(0.25)).toBe("0.25ms");
    expect(formatMsShort(850)).toBe("850ms");
    expect(formatMsShort(1500)).toBe("1.5s");
    expect(formatMsShort(120_000)).toBe("2m");
  });
  test("truncation keeps the informative end", () => {
    expect(truncateLeft("/very/long/path/file.txt", 10)).toBe("…/file.txt");
    expect(truncateRight("Backend refused the connection", 10)).toBe("Backend r…");
    expect(truncateLeft("short", 10)).toBe("short");
  });
});
