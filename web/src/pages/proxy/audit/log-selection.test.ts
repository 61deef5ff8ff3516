/// <reference path="../../../../../node_modules/bun-types/test.d.ts" />
import { describe, expect, test } from "bun:test";
import { Decision } from "../../../../../lib/gen/mcpacp/common/v1/policy_pb.ts";
import { HitlOutcome, LogRecordLevel } from "../../../../../lib/gen/mcpacp/common/v1/log_pb.ts";
import {
  applicableFilters,
  buildFilters,
  DEFAULT_SELECTION,
  EMPTY_FILTERS,
  filesOf,
  normalizeVersion,
  parseSelection,
  serializeSelection,
  withFolder,
} from "./log-selection.ts";

describe("stored selection", () => {
  test("round-trips a valid selection", () => {
    const sel = { folder: "system", file: "policy_history", range: "24h" } as const;
    expect(parseSelection(serializeSelection(sel))).toEqual(sel);
  });

  test("falls back on garbage, wrong types and files of another folder", () => {
    expect(parseSelection(null)).toEqual(DEFAULT_SELECTION);
    expect(parseSelection("{not json")).toEqual(DEFAULT_SELECTION);
    expect(parseSelection("42")).toEqual(DEFAULT_SELECTION);
    expect(parseSelection(JSON.stringify({ folder: "debug", file: "decisions", range: "1h" }))).toEqual({ folder: "debug", file: "all", range: "1h" });
    expect(parseSelection(JSON.stringify({ folder: "nope", file: "auth", range: "1y" }))).toEqual({ folder: "audit", file: "auth", range: "all" });
  });

  test("changing folder resets the file to All", () => {
    expect(withFolder({ folder: "audit", file: "auth", range: "5m" }, "debug")).toEqual({ folder: "debug", file: "all", range: "5m" });
  });

  test("All expands to every file of the folder", () => {
    expect(filesOf({ folder: "audit", file: "all" })).toEqual(["decisions", "operations", "auth"]);
    expect(filesOf({ folder: "debug", file: "backend_wire" })).toEqual(["backend_wire"]);
  });
});

describe("contextual filters", () => {
  test("decision and policy version only for decisions; HITL outcome only for Decision = HITL", () => {
    const sel = { folder: "audit", file: "decisions" } as const;
    expect(applicableFilters(sel, { decision: "" })).toEqual(["decision", "sessionId", "requestId", "policyVersion"]);
    expect(applicableFilters(sel, { decision: "hitl" })).toContain("hitlOutcome");
    expect(applicableFilters({ folder: "system", file: "system" }, { decision: "" })).toEqual(["level", "sessionId", "requestId", "configVersion"]);
    expect(applicableFilters({ folder: "system", file: "config_history" }, { decision: "" })).toEqual(["configVersion"]);
  });

  test("All offers only the filters every file of the folder accepts", () => {
    expect(applicableFilters({ folder: "audit", file: "all" }, { decision: "" })).toEqual(["sessionId", "requestId"]);
    expect(applicableFilters({ folder: "system", file: "all" }, { decision: "" })).toEqual([]);
  });

  test("builds only applicable, non-empty filters and reads 3 as v3", () => {
    const values = { ...EMPTY_FILTERS, decision: "hitl", hitlOutcome: "timeout", level: "ERROR", requestId: " 7 ", policyVersion: "3", configVersion: "v9" } as const;
    expect(buildFilters({ folder: "audit", file: "decisions" }, values)).toEqual({
      decisions: [Decision.HITL],
      hitlOutcomes: [HitlOutcome.TIMEOUT],
      requestId: "7",
      policyVersion: "v3",
    });
    expect(buildFilters({ folder: "system", file: "system" }, values)).toEqual({ levels: [LogRecordLevel.ERROR], requestId: "7", configVersion: "v9" });
    expect(buildFilters({ folder: "audit", file: "decisions" }, { ...values, decision: "deny" }).hitlOutcomes).toBeUndefined();
  });

  test("normalizeVersion leaves labels alone", () => {
    expect(normalizeVersion(" 12 ")).toBe("v12");
    expect(normalizeVersion("v2")).toBe("v2");
    expect(normalizeVersion("unknown")).toBe("unknown");
  });
});
