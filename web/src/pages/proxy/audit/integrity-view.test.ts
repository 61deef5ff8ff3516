/// <reference path="../../../../../node_modules/bun-types/test.d.ts" />
import { describe, expect, test } from "bun:test";
import { create } from "@bufbuild/protobuf";
import {
  AuditFileReportSchema,
  AuditFileStatus,
  AuditOverallStatus,
  AuditVerifyReportSchema,
  IntegrityStateStatus,
} from "../../../../../lib/gen/mcpacp/common/v1/audit_pb.ts";
import { LogType } from "../../../../../lib/gen/mcpacp/common/v1/log_pb.ts";
import { formatBytes, repairEffect, statusNote, statusView, summaryText, verifyToast } from "./integrity-view.ts";

const file = (logType: LogType, fileKey: string, status: AuditFileStatus, broken = false) =>
  create(AuditFileReportSchema, { logType, fileKey, status, broken });

describe("integrity view", () => {
  test("every broken-ish status has a named label", () => {
    expect(statusView(AuditFileStatus.PROTECTED).label).toBe("Verified");
    expect(statusView(AuditFileStatus.STATE_MISMATCH).key).toBe("broken");
    expect(statusView(AuditFileStatus.EMPTIED).label).toBe("Broken");
    expect(statusView(AuditFileStatus.NOT_CREATED).key).toBe("not-created");
    expect(statusView(AuditFileStatus.ERROR).tone).toBe("bad");
  });

  test("unprotected histories read as protected during runtime only", () => {
    expect(statusNote(file(LogType.POLICY_HISTORY, "system/policy_history.jsonl", AuditFileStatus.UNPROTECTED))).toBe("Protected during runtime only");
    expect(statusNote(file(LogType.DECISIONS, "audit/decisions.jsonl", AuditFileStatus.UNPROTECTED))).toBe("");
  });

  test("summary and verify toast follow the report", () => {
    const ok = create(AuditVerifyReportSchema, {
      files: [file(LogType.DECISIONS, "a", AuditFileStatus.PROTECTED), file(LogType.AUTH, "b", AuditFileStatus.NOT_CREATED)],
      totalProtected: 1,
      overallStatus: AuditOverallStatus.PASSED,
      stateStatus: IntegrityStateStatus.PRESENT,
    });
    expect(summaryText(ok)).toEqual({ text: "All audit logs verified", tone: "ok" });
    expect(verifyToast(ok)).toEqual({ level: "success", message: "All 1 files passed integrity check" });
    const bad = create(AuditVerifyReportSchema, {
      files: [file(LogType.DECISIONS, "a", AuditFileStatus.BROKEN, true), file(LogType.AUTH, "b", AuditFileStatus.MISSING, true)],
      totalBroken: 2,
      overallStatus: AuditOverallStatus.FAILED,
    });
    expect(summaryText(bad).text).toBe("2 file(s) have integrity issues");
    expect(verifyToast(bad)).toEqual({ level: "error", message: "2 file(s) failed integrity check" });
    expect(verifyToast(create(AuditVerifyReportSchema, { overallStatus: AuditOverallStatus.NO_FILES })).level).toBe("info");
  });

  test("repair effects differ for missing and broken files", () => {
    expect(repairEffect(file(LogType.AUTH, "audit/auth.jsonl", AuditFileStatus.MISSING))).toContain("stale integrity state is cleared");
    expect(repairEffect(file(LogType.AUTH, "audit/auth.jsonl", AuditFileStatus.BROKEN))).toContain("audit/auth.broken.<timestamp>.jsonl");
  });

  test("byte sizes", () => {
    expect(formatBytes(10n)).toBe("10 B");
    expect(formatBytes(2048)).toBe("2.0 KB");
  });
});
