import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { appendFileSync, readFileSync, renameSync, rmSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { IntegrityStateStore, integrityStatePath } from "../../../lib/audit/index.ts";
import { AuditHealthMonitor, type MonitorFinding } from "./health-monitor.ts";
import type { ProxyAudit } from "./proxy-audit.ts";
import { AuditHome } from "./test-support.ts";

let home: AuditHome;
let audit: ProxyAudit;
beforeEach(() => {
  home = new AuditHome();
  audit = home.open();
  for (let i = 1; i <= 3; i++) audit.writer.write("decisions", { event: "policy_decision", request_id: String(i) });
});
afterEach(async () => {
  await audit.close();
  home.remove();
});

function monitor(extra: { onFailure?: (f: MonitorFinding[]) => void; onCrash?: (e: unknown) => void; intervalMs?: number } = {}): AuditHealthMonitor {
  return new AuditHealthMonitor({
    writer: audit.writer,
    verified: new Map(),
    onFailure: extra.onFailure ?? (() => {}),
    onCrash: extra.onCrash ?? (() => {}),
    ...(extra.intervalMs === undefined ? {} : { intervalMs: extra.intervalMs }),
  });
}

const reasons = (m: AuditHealthMonitor) => m.checkOnce().map((f) => `${f.fileKey}: ${f.reason}`);

describe("audit health monitor", () => {
  test("all is well: no finding, round after round, while records keep coming", () => {
    const m = monitor();
    expect(m.checkOnce()).toEqual([]);
    audit.writer.write("decisions", { event: "policy_decision", request_id: "4" });
    audit.writer.write("operations", { method: "ping" });
    expect(m.checkOnce()).toEqual([]);
    expect(m.rounds).toBe(2);
  });

  test("an idle file deleted", () => {
    rmSync(home.file("audit/auth.jsonl"));
    expect(reasons(monitor()).join("\n")).toContain("audit/auth.jsonl: Audit log compromised - missing: audit/auth.jsonl");
  });

  test("a file replaced by another one (new inode), even one without the write-time check", () => {
    const path = home.file("system/policy_history.jsonl");
    renameSync(path, `${path}.old`);
    writeFileSync(path, "");
    expect(reasons(monitor()).join("\n")).toContain("replaced or moved");
  });

  test("a truncated tail, and a tail with a line appended by someone else", () => {
    const m = monitor();
    expect(m.checkOnce()).toEqual([]);
    const path = home.file("audit/decisions.jsonl");
    truncateSync(path, statSync(path).size - 10);
    expect(reasons(m).join("\n")).toContain("Hash chain verification failed for audit/decisions.jsonl");
  });

  test("an unchained line appended", () => {
    appendFileSync(home.file("audit/decisions.jsonl"), '{"event":"forged"}\n');
    expect(reasons(monitor()).join("\n")).toContain("audit/decisions.jsonl");
  });

  test("a state row rewritten without the key", () => {
    const store = IntegrityStateStore.open(integrityStatePath(home.logDir));
    const row = store.get("audit/decisions.jsonl");
    if (row === null) throw new Error("no row");
    store.put({ ...row });
    store.close();
    expect(reasons(monitor()).join("\n")).toContain("fails its signature check");
  });

  test("a state row set back to an earlier entry", () => {
    const lines = readFileSync(home.file("audit/decisions.jsonl"), "utf8").split("\n");
    const store = IntegrityStateStore.open(integrityStatePath(home.logDir), { macKey: home.key() });
    const row = store.get("audit/decisions.jsonl");
    if (row === null) throw new Error("no row");
    store.put({ ...row, sequence: 1, lastHash: String((JSON.parse(lines[0] ?? "{}") as { entry_hash: string }).entry_hash), size: Buffer.byteLength(`${lines[0]}\n`), offset: 0 });
    store.close();
    expect(reasons(monitor()).join("\n")).toContain("state.db was rewritten");
  });

  test("running: the first failing round reports once and stops; a crash is reported as a crash", async () => {
    const failures: MonitorFinding[][] = [];
    const m = monitor({ intervalMs: 20, onFailure: (f) => failures.push(f) });
    m.start();
    await Bun.sleep(60);
    expect(failures).toEqual([]);
    rmSync(home.file("audit/operations.jsonl"));
    for (let i = 0; i < 100 && failures.length === 0; i++) await Bun.sleep(20);
    expect(failures).toHaveLength(1);
    expect(m.running).toBe(false);
    await Bun.sleep(60);
    expect(failures).toHaveLength(1);

    const crashes: unknown[] = [];
    const broken = monitor({ intervalMs: 20, onCrash: (e) => crashes.push(e) });
    Object.defineProperty(audit.writer, "fileNames", {
      get() {
        throw new Error("injected monitor fault");
      },
    });
    broken.start();
    for (let i = 0; i < 100 && crashes.length === 0; i++) await Bun.sleep(20);
    expect(String(crashes[0])).toContain("injected monitor fault");
    expect(broken.running).toBe(false);
  });
});

describe("ProxyAudit.startMonitor", () => {
  test("a monitor finding starts the shutdown with the monitor as its source", async () => {
    const withMonitor = home.open.bind(home);
    await audit.close();
    audit = withMonitor({ monitorIntervalMs: 20 });
    audit.startMonitor();
    rmSync(home.file("system/system.jsonl"));
    for (let i = 0; i < 100 && !audit.shutdown.inProgress; i++) await Bun.sleep(20);
    expect(audit.shutdown.state).toMatchObject({ failureType: "audit_failure", exitCode: 10, context: { source: "health_monitor" } });
    expect(audit.shutdown.state?.reason).toContain("system/system.jsonl");
  });
});
