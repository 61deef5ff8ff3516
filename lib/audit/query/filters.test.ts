import { describe, expect, test } from "bun:test";
import { LogQueryError, LogQueryErrorCode } from "./errors.ts";
import { describeFilters, matchesLogFilters, normalizeLogFilters } from "./filters.ts";
import { parseLogType } from "./log-types.ts";
import { parseTimeRange, timeRangeStart } from "./time-range.ts";

function fieldOf(fn: () => unknown): [LogQueryErrorCode, string | undefined, string] {
  try {
    fn();
  } catch (error) {
    if (error instanceof LogQueryError) return [error.code, error.field, error.message];
    throw error;
  }
  throw new Error("expected a LogQueryError");
}

describe("normalizeLogFilters", () => {
  test("comma lists, hitl aliases, upper-cased levels, bare versions", () => {
    expect(normalizeLogFilters({ decision: "Allow, hitl", hitl_outcome: "allowed,denied,timeout,user_allowed", policy_version: "3", session_id: " s1 " }, "decisions")).toEqual({
      decision: ["allow", "hitl"],
      hitl_outcome: ["user_allowed", "user_denied", "timeout"],
      policy_version: "v3",
      session_id: "s1",
    });
    expect(normalizeLogFilters({ level: "warning,critical", event_type: ["a", "b,c"] }, "system")).toEqual({ level: ["WARNING", "CRITICAL"], event_type: ["a", "b", "c"] });
  });

  test("empty values do not filter; ids keep their commas", () => {
    expect(normalizeLogFilters({ decision: "", request_id: "a,b", level: undefined }, "decisions")).toEqual({ request_id: "a,b" });
  });

  test("a filter that does not apply to the log is refused, naming the field", () => {
    const [code, field, message] = fieldOf(() => normalizeLogFilters({ decision: "allow" }, "operations"));
    expect([code, field]).toEqual([LogQueryErrorCode.InvalidArgument, "decision"]);
    expect(message).toContain("does not apply to the operations log");
    expect(fieldOf(() => normalizeLogFilters({ level: "ERROR" }, "decisions"))[1]).toBe("level");
  });

  test("unknown values are refused", () => {
    expect(fieldOf(() => normalizeLogFilters({ decision: "maybe" }, "decisions"))[2]).toContain("expected one of allow, deny, hitl");
    expect(fieldOf(() => normalizeLogFilters({ hitl_outcome: "approved" }, "decisions"))[1]).toBe("hitl_outcome");
    expect(fieldOf(() => normalizeLogFilters({ level: "LOUD" }, "system"))[1]).toBe("level");
  });
});

describe("matchesLogFilters", () => {
  test("session_id matches session_id or mcp_session_id; event_type matches event or event_type", () => {
    const f = normalizeLogFilters({ session_id: "s1", event_type: "session_started" }, "auth");
    expect(matchesLogFilters({ mcp_session_id: "s1", event_type: "session_started" }, f)).toBe(true);
    expect(matchesLogFilters({ session_id: "s1", event: "session_started" }, f)).toBe(true);
    expect(matchesLogFilters({ session_id: "s2", event: "session_started" }, f)).toBe(false);
    expect(matchesLogFilters({ session_id: "s1", event_type: "token_invalid" }, f)).toBe(false);
  });

  test("filters are AND-ed; request ids compare as text; levels case-insensitively", () => {
    const f = normalizeLogFilters({ request_id: "7", level: "error" }, "system");
    expect(matchesLogFilters({ request_id: 7, level: "error" }, f)).toBe(true);
    expect(matchesLogFilters({ request_id: "7", level: "WARNING" }, f)).toBe(false);
    expect(matchesLogFilters({ level: "ERROR" }, f)).toBe(false);
    expect(describeFilters(f)).toEqual({ request_id: "7", level: "ERROR" });
  });
});

describe("log types and time ranges", () => {
  test("log types accept hyphens; unknown ones list the choices", () => {
    expect(parseLogType("config-history")).toBe("config_history");
    expect(parseLogType("CLIENT_WIRE")).toBe("client_wire");
    expect(fieldOf(() => parseLogType("audit"))[2]).toContain("decisions, operations, auth");
  });

  test("time ranges", () => {
    const now = new Date("2026-01-01T12:00:00.000Z");
    expect(timeRangeStart(parseTimeRange("5m"), now)).toBe(now.getTime() - 300_000);
    expect(timeRangeStart(parseTimeRange("24H"), now)).toBe(now.getTime() - 86_400_000);
    expect(timeRangeStart(parseTimeRange("all"), now)).toBeNull();
    expect(fieldOf(() => parseTimeRange("2d"))[1]).toBe("time_range");
  });
});
