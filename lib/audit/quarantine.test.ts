import { afterAll, describe, expect, test } from "bun:test";
import { appendFileSync, readFileSync, readdirSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { AuditError, AuditErrorCode } from "./errors.ts";
import { quarantineTornTail } from "./quarantine.ts";
import { stateFor, thrown, useTempHome, writeChain } from "./test-fixtures.ts";
import { verifyFile } from "./verify.ts";
import { IntegrityProblemCode, VerifyStatus } from "./verify-types.ts";

const home = useTempHome();
afterAll(() => home.cleanup());

let counter = 0;
const FRAGMENT = '{"time":"2026-01-01T00:00:00.000Z","sequence":4,"prev_hash":"ab';

function tornLog(): { path: string; state: ReturnType<typeof stateFor> } {
  const path = join(home.logDir, `q-${++counter}`, "audit", "operations.jsonl");
  const chain = writeChain(path, 3);
  const state = stateFor("audit/operations.jsonl", path, chain.head);
  appendFileSync(path, FRAGMENT);
  return { path, state };
}

describe("quarantineTornTail", () => {
  test("moves the torn bytes to a 0600 sidecar and cuts the log back to a verified chain", () => {
    const { path, state } = tornLog();
    const before = verifyFile(path, { state });
    expect(before.problems.map((p) => p.code)).toEqual([IntegrityProblemCode.TornLine]);
    const torn = before.torn;
    if (torn === null) throw new Error("expected a torn line");
    const result = quarantineTornTail(path, torn, new Date(Date.UTC(2026, 2, 4, 5, 6, 7, 89)));
    expect(basename(result.sidecarPath)).toBe("operations.jsonl.torn.20260304T050607089Z");
    expect(readFileSync(result.sidecarPath, "utf8")).toBe(FRAGMENT);
    expect(statSync(result.sidecarPath).mode & 0o777).toBe(0o600);
    expect([result.bytes, result.truncatedTo, statSync(path).size]).toEqual([FRAGMENT.length, state.size, state.size]);
    // Same inode, intact against the unchanged state.
    const after = verifyFile(path, { state: { ...state } });
    expect([after.status, after.entries, after.identity?.inode]).toEqual([VerifyStatus.Intact, 3, state.inode]);
  });

  test("a second quarantine in the same millisecond never overwrites the first", () => {
    const { path } = tornLog();
    const when = new Date(Date.UTC(2026, 0, 1));
    const first = quarantineTornTail(path, verifyFile(path).torn as NonNullable<ReturnType<typeof verifyFile>["torn"]>, when);
    appendFileSync(path, "partial");
    const second = quarantineTornTail(path, verifyFile(path).torn as NonNullable<ReturnType<typeof verifyFile>["torn"]>, when);
    expect(second.sidecarPath).toBe(`${first.sidecarPath}-1`);
    expect(readdirSync(dirname(path)).filter((n) => n.includes(".torn.")).sort()).toHaveLength(2);
  });

  test("refuses when the file changed since it was verified", () => {
    const { path } = tornLog();
    const torn = verifyFile(path).torn as NonNullable<ReturnType<typeof verifyFile>["torn"]>;
    appendFileSync(path, "more");
    const error = thrown(() => quarantineTornTail(path, torn)) as AuditError;
    expect(error.code).toBe(AuditErrorCode.WriteFailed);
    expect(error.message).toContain("changed since it was verified");
    expect(readFileSync(path, "utf8").endsWith(`${FRAGMENT}more`)).toBe(true);
  });
});
