/// <reference path="../../../../../node_modules/bun-types/test.d.ts" />
import { describe, expect, test } from "bun:test";
import { clockTime, COLUMN_SETS, columnSetFor, operationPaths } from "./log-columns.ts";

function cells(set: keyof typeof COLUMN_SETS, record: Parameters<(typeof COLUMN_SETS)["decisions"][number]["cell"]>[0], source = "decisions" as const) {
  return COLUMN_SETS[set].map((c) => c.cell(record, source));
}

describe("log columns", () => {
  test("each file picks its column set", () => {
    expect(columnSetFor("all")).toBe("merged");
    expect(columnSetFor("policy_history")).toBe("history");
    expect(columnSetFor("client_wire")).toBe("wire");
    expect(columnSetFor("auth")).toBe("auth");
  });

  test("decisions show a toned badge and a cached HITL result", () => {
    const row = cells("decisions", { time: "bad", mcp_method: "tools/call", decision: "hitl", final_rule: "r1", hitl_outcome: "user_allowed", hitl_cache_hit: true });
    expect(row.map((c) => c.text)).toEqual(["bad", "tools/call", "hitl", "r1", "user allowed (cached)"]);
    expect(row[2]?.tone).toBe("hitl");
  });

  test("operations show move paths and failures with their message", () => {
    expect(operationPaths({ source_path: "/a", dest_path: "/b" })).toBe("/a → /b");
    expect(operationPaths({ file_path: "/x" })).toBe("/x");
    const row = cells("operations", { method: "tools/call", status: "Failure", message: "boom" });
    expect(row[4]).toEqual({ text: "Failure: boom", tone: "fail", title: "boom" });
  });

  test("auth subject comes from the nested subject object; odd values do not throw", () => {
    const row = cells("auth", { subject: { subject_id: "sha256:abcd" }, status: "Success", bound_session_id: ["odd"] });
    expect(row[4]?.text).toBe("sha256:abcd");
    expect(row[3]?.tone).toBe("ok");
    expect(row[1]?.text).toBe('["odd"]');
  });

  test("wire direction is spelled, not just coloured", () => {
    const row = cells("wire", { direction: "ingress", method: "initialize", request_id: 1 });
    expect(row[1]).toEqual({ text: ">>>", title: "ingress (into the proxy)" });
    expect(row[3]?.text).toBe("1");
  });

  test("clockTime formats local HH:MM:SS", () => {
    const d = new Date(2026, 0, 2, 3, 4, 5);
    expect(clockTime(d.toISOString())).toBe("03:04:05");
  });
});
