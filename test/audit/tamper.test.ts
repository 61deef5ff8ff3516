// The startup gate through the real `mcp-acp start`: every kind of tampering with a stopped
// proxy's logs or integrity state refuses the start with exit 10 (and a bootstrap record); a torn
// last line — what a crash mid-write leaves — is quarantined with an incident and the start goes
// on.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { appendFileSync, copyFileSync, readdirSync, readFileSync, renameSync, rmSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { AuditVerdict, IntegrityStateStore, auditKeyPath, integrityStatePath, sealRecord } from "../../lib/audit/index.ts";
import { ProxyHome, toolCall, INITIALIZE } from "../proxy/support.ts";
import { addEchoProxy, auditKey, jsonl, logDirOf, logFile, records, verifyProxyLogs } from "./support.ts";

let home: ProxyHome;
beforeAll(async () => {
  home = await ProxyHome.create();
});
afterAll(async () => {
  await home.remove();
});

let proxies = 0;

/** A proxy that has run once (initialize, three calls) and stopped; returns its name. */
async function ranOnce(): Promise<string> {
  const name = `t${++proxies}`;
  addEchoProxy(home, name);
  const input = [INITIALIZE, { jsonrpc: "2.0", method: "notifications/initialized" }, toolCall(1, "echo", { text: "a" }), toolCall(2, "echo", { text: "b" }), toolCall(3, "nope")]
    .map((m) => JSON.stringify(m))
    .join("\n");
  const run = await home.run(["start", "--proxy", name], `${input}\n`);
  if (run.exitCode !== 0) throw new Error(`first run of ${name} failed (${run.exitCode}): ${run.stderr}`);
  expect(verifyProxyLogs(home, name).verdict).toBe(AuditVerdict.Intact);
  return name;
}

function lines(path: string): string[] {
  return readFileSync(path, "utf8").split("\n").filter((l) => l !== "");
}

function writeLines(path: string, content: string[]): void {
  writeFileSync(path, content.length === 0 ? "" : `${content.join("\n")}\n`);
}

async function expectRefused(name: string, mentions: string): Promise<void> {
  const result = await home.run(["start", "--proxy", name]);
  expect(result.exitCode).toBe(10);
  expect(result.stdout).toBe("");
  expect(result.stderr).toContain("Audit log integrity verification failed");
  expect(result.stderr).toContain(mentions);
  expect(home.bootstrapLines(name).at(-1)).toMatchObject({ event: "audit_failure", exit_code: 10, component: "cli", source: "cli_start" });
}

function withState(name: string, signed: boolean, change: (store: IntegrityStateStore) => void): void {
  const store = IntegrityStateStore.open(integrityStatePath(logDirOf(home, name)), signed ? { macKey: auditKey(home, name) } : {});
  try {
    change(store);
  } finally {
    store.close();
  }
}

describe("start refuses tampered logs (exit 10)", () => {
  test("a field edited in an entry", async () => {
    const name = await ranOnce();
    const path = logFile(home, name, "audit/decisions.jsonl");
    writeFileSync(path, readFileSync(path, "utf8").replace('"final_rule":"allow-echo"', '"final_rule":"allow-all"'));
    await expectRefused(name, "Entry hash mismatch");
  });

  test("a line deleted from the middle", async () => {
    const name = await ranOnce();
    const path = logFile(home, name, "audit/decisions.jsonl");
    const all = lines(path);
    writeLines(path, [...all.slice(0, 1), ...all.slice(2)]);
    await expectRefused(name, "audit/decisions.jsonl");
  });

  test("a forged, self-consistent line inserted", async () => {
    const name = await ranOnce();
    const path = logFile(home, name, "audit/decisions.jsonl");
    const all = lines(path);
    const first = JSON.parse(all[0] ?? "{}") as { entry_hash: string };
    const forged = sealRecord({ event: "policy_decision", decision: "allow", request_id: "99" }, { sequence: 1, lastHash: first.entry_hash }).line.trimEnd();
    writeLines(path, [all[0] ?? "", forged, ...all.slice(1)]);
    await expectRefused(name, "audit/decisions.jsonl");
  });

  test("two lines swapped", async () => {
    const name = await ranOnce();
    const path = logFile(home, name, "audit/decisions.jsonl");
    const [a, b, ...rest] = lines(path);
    writeLines(path, [b ?? "", a ?? "", ...rest]);
    await expectRefused(name, "audit/decisions.jsonl");
  });

  test("the tail truncated (last entry removed)", async () => {
    const name = await ranOnce();
    const path = logFile(home, name, "audit/operations.jsonl");
    writeLines(path, lines(path).slice(0, -1));
    await expectRefused(name, "missing from line");
  });

  test("the tail truncated and its state row rewritten to match (without the key)", async () => {
    const name = await ranOnce();
    const path = logFile(home, name, "audit/operations.jsonl");
    const kept = lines(path).slice(0, -1);
    writeLines(path, kept);
    const last = JSON.parse(kept.at(-1) ?? "{}") as { sequence: number; entry_hash: string };
    withState(name, false, (store) => {
      const row = store.get("audit/operations.jsonl");
      if (row === null) throw new Error("no state row");
      store.put({ ...row, sequence: last.sequence, lastHash: last.entry_hash, size: statSync(path).size, offset: statSync(path).size - Buffer.byteLength(`${kept.at(-1)}\n`) });
    });
    await expectRefused(name, "is not signed");
  });

  test("a file replaced by an identical copy (new inode)", async () => {
    const name = await ranOnce();
    const path = logFile(home, name, "audit/auth.jsonl");
    copyFileSync(path, `${path}.copy`);
    renameSync(`${path}.copy`, path);
    await expectRefused(name, "replaced or recreated");
  });

  test("the state database deleted (never a fresh start over chained logs)", async () => {
    const name = await ranOnce();
    for (const suffix of ["", "-wal", "-shm"]) rmSync(`${integrityStatePath(logDirOf(home, name))}${suffix}`, { force: true });
    await expectRefused(name, "the integrity state has no record of it");
  });

  test("a state ahead of its file", async () => {
    const name = await ranOnce();
    withState(name, true, (store) => {
      const row = store.get("audit/decisions.jsonl");
      if (row === null) throw new Error("no state row");
      store.put({ ...row, sequence: row.sequence + 1 });
    });
    await expectRefused(name, "audit/decisions.jsonl");
  });

  test("a file emptied while its state records entries", async () => {
    const name = await ranOnce();
    truncateSync(logFile(home, name, "system/system.jsonl"), 0);
    await expectRefused(name, "system/system.jsonl is empty");
  });

  test("the audit key deleted", async () => {
    const name = await ranOnce();
    rmSync(auditKeyPath(home.paths, name));
    await expectRefused(name, "the key was deleted");
  });
});

describe("a torn last line", () => {
  test("is quarantined beside the log with an incident, and the start proceeds with an intact chain", async () => {
    const name = await ranOnce();
    const path = logFile(home, name, "audit/operations.jsonl");
    const size = statSync(path).size;
    appendFileSync(path, '{"time":"2026-01-01T00:00:00.000Z","sequence":9,"prev_hash":"abc","meth');
    const result = await home.run(["start", "--proxy", name]);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain("torn last line of audit/operations.jsonl");
    const sidecars = readdirSync(join(logDirOf(home, name), "audit")).filter((f) => f.startsWith("operations.jsonl.torn."));
    expect(sidecars).toHaveLength(1);
    expect(readFileSync(join(logDirOf(home, name), "audit", sidecars[0] ?? ""), "utf8")).toContain('"meth');
    const [incident] = jsonl(join(logDirOf(home, name), "shutdowns.jsonl"));
    expect(incident).toMatchObject({ event: "torn_line_quarantined", context: { file: "audit/operations.jsonl", truncated_to: size } });
    expect(records(home, name, "system/system.jsonl").find((r) => r.event === "audit_torn_line_quarantined")).toMatchObject({ level: "CRITICAL" });
    expect(verifyProxyLogs(home, name).verdict).toBe(AuditVerdict.Intact);
  });
});
