import { expect, test } from "bun:test";
import { formatAuditTime, parseAuditTime } from "./time.ts";

test("writes ms + Z and reads the three forms the logs hold", () => {
  const date = new Date(Date.UTC(2025, 0, 18, 10, 0, 0, 123));
  expect(formatAuditTime(date)).toBe("2025-01-18T10:00:00.123Z");
  const ms = date.getTime();
  expect(parseAuditTime("2025-01-18T10:00:00.123Z")).toBe(ms);
  expect(parseAuditTime("2025-01-18T10:00:00.123456Z")).toBe(ms);
  expect(parseAuditTime("2025-01-18T10:00:00.123456+00:00")).toBe(ms);
  expect(parseAuditTime("2025-01-18T12:00:00.123+02:00")).toBe(ms);
  expect(parseAuditTime("2025-01-18T10:00:00Z")).toBe(ms - 123);
  for (const bad of ["", "yesterday", "2025-02-30T00:00:00Z", "2025-01-18T25:00:00Z", "2025-01-18 10:00:00Z"]) expect(parseAuditTime(bad)).toBeNull();
});
