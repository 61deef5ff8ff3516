// `mcp-acp audit repair` (offline form) and `audit adopt` as real processes over real chained logs:
// stale state is re-recorded, broken files are backed up under unique names and restarted, torn
// lines are quarantined, and nothing happens while the proxy's control socket answers.
import { createServer, type Server } from "node:net";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { IntegrityStateStore, PROTECTED_LOG_FILES, WRITER_LOCK_FILE, auditKeyPath, createAuditKey, integrityStatePath, logFilePath } from "../../lib/audit/index.ts";
import { backupFileName } from "../../lib/audit/query/index.ts";
import { readLines, stateFor, writeChain, writeLines } from "../../lib/audit/test-fixtures.ts";
import { controlSocketPath, resolveAppPaths } from "../../lib/paths/index.ts";
import { initializedHome, runInPty, SCRIPT_BINARY, TempHome } from "../helpers/index.ts";

let home: TempHome;
let logDir: string;
/** fs's audit key: the state rows the fixtures write are signed with it, as the proxy signs them. */
let macKey: Uint8Array;

beforeAll(async () => {
  home = await initializedHome();
  const r = await home.run(["proxy", "add", "--name", "fs", "--server-name", "fs", "--command", "npx-fs"]);
  expect(r.exitCode).toBe(0);
  logDir = home.path("logs", "mcp-acp", "proxies", "fs");
  macKey = createAuditKey(auditKeyPath(resolveAppPaths({ MCP_ACP_HOME: home.dir, HOME: home.dir }), "fs"));
});
afterAll(() => home.remove());

beforeEach(() => {
  rmSync(logDir, { recursive: true, force: true });
  mkdirSync(logDir, { recursive: true, mode: 0o700 });
  const store = IntegrityStateStore.open(integrityStatePath(logDir), { macKey });
  for (const file of PROTECTED_LOG_FILES) {
    const path = logFilePath(logDir, file.fileKey);
    store.put(stateFor(file.fileKey, path, writeChain(path, 5).head));
  }
  store.close();
});

const decisions = (): string => logFilePath(logDir, "audit/decisions.jsonl");
const run = (...args: string[]) => home.run(args);

function editSecondLine(): void {
  const lines = readLines(decisions());
  lines[1] = (lines[1] as string).replace("alice", "mallory");
  writeLines(decisions(), lines);
}

function deleteState(): void {
  for (const suffix of ["", "-wal", "-shm"]) rmSync(`${integrityStatePath(logDir)}${suffix}`, { force: true });
}

function backups(): string[] {
  return readdirSync(dirname(decisions())).filter((n) => n.startsWith("decisions.broken.")).sort();
}

describe("audit repair", () => {
  test("nothing to do → exit 0 without asking", async () => {
    const r = await run("audit", "repair", "--proxy", "fs");
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain("No files needed repair.");
  });

  test("an intact chain with a stale state (state ahead) is resynced; verify then passes", async () => {
    const store = IntegrityStateStore.open(integrityStatePath(logDir), { macKey });
    const row = store.get("audit/decisions.jsonl");
    if (row === null) throw new Error("no row");
    store.put({ ...row, sequence: 9, lastHash: "9".repeat(64) });
    store.close();
    expect((await run("audit", "verify", "--proxy", "fs")).exitCode).toBe(1);
    const r = await run("audit", "repair", "--proxy", "fs", "--yes");
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/✗ decisions +STATE MISMATCH/);
    expect(r.stdout).toContain("→ record the file's verified chain in the state (5 entries, last seq #5)");
    expect(r.stdout).toContain("✓ decisions: state recorded: 5 entries, last seq #5");
    expect(r.stdout).toContain("Repaired 1 file(s). Proxy 'fs' should now start.");
    expect(backups()).toEqual([]);
    expect((await run("audit", "verify", "--proxy", "fs")).exitCode).toBe(0);
  });

  test("a deleted state database is rebuilt from the verified files", async () => {
    deleteState();
    const r = await run("audit", "repair", "--proxy", "fs", "-y");
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain("Repaired 6 file(s).");
    expect((await run("audit", "verify", "--proxy", "fs")).exitCode).toBe(0);
  });

  test("a corrupt state database is set aside and rebuilt", async () => {
    for (const suffix of ["-wal", "-shm"]) rmSync(`${integrityStatePath(logDir)}${suffix}`, { force: true });
    writeFileSync(integrityStatePath(logDir), "not a database ".repeat(20));
    const r = await run("audit", "repair", "--proxy", "fs", "--yes");
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain("integrity state CORRUPTED");
    expect(r.stdout).toMatch(/corrupt integrity state moved to .*state\.db\.corrupt\./);
    expect(readdirSync(logDir).some((n) => n.startsWith("state.db.corrupt."))).toBe(true);
    expect((await run("audit", "verify", "--proxy", "fs")).exitCode).toBe(0);
  });

  test("a broken chain is backed up, restarted empty (0600) and its state dropped; verify then passes", async () => {
    editSecondLine();
    const before = readFileSync(decisions(), "utf8");
    const r = await run("audit", "repair", "--proxy", "fs", "--yes");
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/✗ decisions +BROKEN/);
    expect(r.stdout).toMatch(/decisions\.jsonl:2: Entry hash mismatch/);
    expect(r.stdout).toContain("Reset 1 broken file(s). Proxy 'fs' should now start.");
    const [backup] = backups();
    expect(backup).toMatch(/^decisions\.broken\.\d{4}-\d{2}-\d{2}_\d{6}\.jsonl$/);
    expect(readFileSync(join(dirname(decisions()), backup ?? ""), "utf8")).toBe(before);
    expect(readFileSync(decisions(), "utf8")).toBe("");
    expect(statSync(decisions()).mode & 0o777).toBe(0o600);
    const store = IntegrityStateStore.open(integrityStatePath(logDir), { create: false, macKey });
    expect(store.get("audit/decisions.jsonl")).toBeNull();
    store.close();
    const verify = await run("audit", "verify", "--proxy", "fs");
    expect(verify.exitCode).toBe(0);
    expect(verify.stdout).toMatch(/decisions +empty/);
  });

  test("never overwrites an earlier backup: a reset in the same second gets a -N name", async () => {
    // Earlier backups for every second around now, so this reset must find its stamp taken.
    const now = Date.now();
    const taken: string[] = [];
    for (let s = -2; s <= 60; s++) {
      const name = backupFileName("decisions.jsonl", new Date(now + s * 1000));
      writeFileSync(join(dirname(decisions()), name), `earlier ${s}\n`);
      taken.push(name);
    }
    editSecondLine();
    const r = await run("audit", "repair", "--proxy", "fs", "--yes");
    expect(r.exitCode).toBe(0);
    const fresh = backups().filter((n) => !taken.includes(n));
    expect(fresh).toHaveLength(1);
    expect(fresh[0]).toMatch(/^decisions\.broken\.\d{4}-\d{2}-\d{2}_\d{6}-1\.jsonl$/);
    taken.forEach((name, i) => expect(readFileSync(join(dirname(decisions()), name), "utf8")).toBe(`earlier ${i - 2}\n`));
  });

  test("a torn last line is quarantined to a sidecar and the chain before it kept", async () => {
    writeFileSync(decisions(), '{"time":"2026-01-01T00:00:01.000Z","seq', { flag: "a" });
    const r = await run("audit", "repair", "--proxy", "fs", "--yes");
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain("move the torn last line (line 6) to a .torn sidecar");
    expect(r.stdout).toMatch(/✓ decisions: torn line \(\d+ bytes\) moved to .*decisions\.jsonl\.torn\./);
    expect(readLines(decisions())).toHaveLength(5);
    expect(readdirSync(dirname(decisions())).filter((n) => n.startsWith("decisions.jsonl.torn."))).toHaveLength(1);
    expect((await run("audit", "verify", "--proxy", "fs")).exitCode).toBe(0);
  });

  test("--file repairs only that file", async () => {
    editSecondLine();
    deleteState();
    const r = await run("audit", "repair", "--proxy", "fs", "--file", "operations", "--yes");
    expect(r.exitCode).toBe(0);
    expect(r.stdout).not.toContain("decisions");
    expect(backups()).toEqual([]);
    expect((await run("audit", "verify", "--proxy", "fs", "--file", "operations")).exitCode).toBe(0);
  });

  test("without a terminal and without --yes nothing changes and it says to pass --yes", async () => {
    editSecondLine();
    const r = await run("audit", "repair", "--proxy", "fs");
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("Error: Nothing was changed: repair needs confirmation.");
    expect(r.stderr).toContain("--yes");
    expect(backups()).toEqual([]);
  });

  test.skipIf(SCRIPT_BINARY === null)("in a terminal it asks; declining changes nothing and exits 1", async () => {
    editSecondLine();
    const declined = await runInPty([process.execPath, join(import.meta.dir, "..", "..", "cli", "main.ts"), "audit", "repair", "--proxy", "fs"], "n\n", home.env());
    expect(declined.exitCode).toBe(1);
    expect(declined.output).toContain("Carry out these repairs? [y/N]");
    expect(declined.output).toContain("Aborted: nothing was changed.");
    expect(backups()).toEqual([]);
    const accepted = await runInPty([process.execPath, join(import.meta.dir, "..", "..", "cli", "main.ts"), "audit", "repair", "--proxy", "fs"], "y\n", home.env());
    expect(accepted.exitCode).toBe(0);
    expect(backups()).toHaveLength(1);
  });

  test("an unknown proxy or a missing --proxy", async () => {
    expect((await run("audit", "repair", "--proxy", "ghost", "--yes")).stderr).toContain("Proxy 'ghost' not found.");
    expect((await run("audit", "repair", "--yes")).exitCode).toBe(2);
  });
});

describe("the audit key", () => {
  const keyPath = (): string => auditKeyPath(resolveAppPaths({ MCP_ACP_HOME: home.dir, HOME: home.dir }), "fs");

  test("repair signs the rows it writes with the existing key", async () => {
    deleteState();
    const r = await run("audit", "repair", "--proxy", "fs", "--yes");
    expect(r.exitCode).toBe(0);
    const store = IntegrityStateStore.open(integrityStatePath(logDir), { create: false, macKey });
    const row = store.get("audit/decisions.jsonl");
    expect(row !== null && store.macValid(row) && row.mac !== null).toBe(true);
    store.close();
    expect((await run("audit", "verify", "--proxy", "fs")).exitCode).toBe(0);
  });

  test("without a key, repair rebuilds the rows under a new key and adopt creates one; verify then passes", async () => {
    const saved = readFileSync(keyPath(), "utf8");
    try {
      rmSync(keyPath());
      expect((await run("audit", "verify", "--proxy", "fs")).exitCode).toBe(1);
      const repaired = await run("audit", "repair", "--proxy", "fs", "--yes");
      expect(repaired.exitCode).toBe(0);
      expect(statSync(keyPath()).mode & 0o777).toBe(0o600);
      expect((await run("audit", "verify", "--proxy", "fs")).exitCode).toBe(0);
      rmSync(keyPath());
      deleteState();
      const adopted = await run("audit", "adopt", "--proxy", "fs");
      expect(adopted.exitCode).toBe(0);
      expect(existsSync(keyPath())).toBe(true);
      expect((await run("audit", "verify", "--proxy", "fs")).exitCode).toBe(0);
    } finally {
      writeFileSync(keyPath(), saved, { mode: 0o600 });
    }
  });

  test("adopt refuses rows it cannot check without a key", async () => {
    const saved = readFileSync(keyPath(), "utf8");
    try {
      rmSync(keyPath());
      const store = IntegrityStateStore.open(integrityStatePath(logDir), { macKey });
      store.delete("audit/operations.jsonl");
      store.close();
      const r = await run("audit", "adopt", "--proxy", "fs");
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toContain(`there is no audit key ${keyPath()}`);
      expect(existsSync(keyPath())).toBe(false);
    } finally {
      writeFileSync(keyPath(), saved, { mode: 0o600 });
    }
  });

  test("a malformed key stops repair and adopt before anything changes", async () => {
    const saved = readFileSync(keyPath(), "utf8");
    writeFileSync(keyPath(), "zz\n");
    try {
      editSecondLine();
      for (const command of ["repair", "adopt"]) {
        const r = await run("audit", command, "--proxy", "fs", ...(command === "repair" ? ["--yes"] : []));
        expect(r.exitCode).toBe(1);
        expect(r.stderr).toContain(`The audit key ${keyPath()} is not 64 hex digits`);
      }
      expect(backups()).toEqual([]);
    } finally {
      writeFileSync(keyPath(), saved, { mode: 0o600 });
    }
  });
});

describe("while a live process holds the proxy's writer lock", () => {
  test("repair and adopt are refused and nothing changes; a stale lock does not count", async () => {
    const sleeper = Bun.spawn(["sleep", "60"]);
    try {
      writeFileSync(join(logDir, WRITER_LOCK_FILE), JSON.stringify({ pid: sleeper.pid }));
      editSecondLine();
      const repair = await run("audit", "repair", "--proxy", "fs", "--yes");
      expect(repair.exitCode).toBe(1);
      expect(repair.stderr).toContain(`Proxy 'fs' is running;`);
      expect(repair.stderr).toContain(`process ${sleeper.pid} holds its audit writer lock`);
      expect(backups()).toEqual([]);
      deleteState();
      const adopt = await run("audit", "adopt", "--proxy", "fs");
      expect(adopt.exitCode).toBe(1);
      expect(adopt.stderr).toContain(`process ${sleeper.pid} holds its audit writer lock`);
      expect(existsSync(integrityStatePath(logDir))).toBe(false);
    } finally {
      sleeper.kill();
      await sleeper.exited;
    }
    const stale = await run("audit", "adopt", "--proxy", "fs");
    expect(stale.exitCode).toBe(1);
    expect(stale.stderr).toContain("Nothing was adopted: decisions does not verify.");
    // Taken over while adopt ran, and released.
    expect(existsSync(join(logDir, WRITER_LOCK_FILE))).toBe(false);
  });
});

describe("while the proxy runs (its control socket answers)", () => {
  let server: Server | undefined;
  let socketPath = "";

  beforeEach(async () => {
    socketPath = controlSocketPath(resolveAppPaths({ MCP_ACP_HOME: home.dir, HOME: home.dir }), "fs");
    mkdirSync(dirname(socketPath), { recursive: true, mode: 0o700 });
    const listening = createServer((socket) => socket.end());
    await new Promise<void>((resolve) => listening.listen(socketPath, resolve));
    server = listening;
  });

  afterEach(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    rmSync(socketPath, { force: true });
  });

  test("repair is refused and nothing changes", async () => {
    editSecondLine();
    const r = await run("audit", "repair", "--proxy", "fs", "--yes");
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("Error: Proxy 'fs' is running;");
    expect(r.stderr).toContain("Stop it first");
    expect(backups()).toEqual([]);
  });

  test("adopt is refused too", async () => {
    deleteState();
    const r = await run("audit", "adopt", "--proxy", "fs");
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("Proxy 'fs' is running;");
    expect(existsSync(integrityStatePath(logDir))).toBe(false);
  });
});

describe("audit adopt", () => {
  test("accepts files without state after verifying their chains; verify then passes", async () => {
    deleteState();
    expect((await run("audit", "verify", "--proxy", "fs")).exitCode).toBe(1);
    const r = await run("audit", "adopt", "--proxy", "fs");
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain("✓ audit/decisions.jsonl: adopted (5 entries, last seq #5)");
    expect(r.stdout).toContain("Adopted 6 file(s) for proxy 'fs'.");
    expect((await run("audit", "verify", "--proxy", "fs")).exitCode).toBe(0);
    const again = await run("audit", "adopt", "--proxy", "fs");
    expect([again.exitCode, again.stdout.trim()]).toEqual([0, expect.stringContaining("Nothing to adopt")]);
  });

  test("refuses, naming file and line, when a chain does not verify; adopts nothing", async () => {
    deleteState();
    editSecondLine();
    const r = await run("audit", "adopt", "--proxy", "fs");
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/✗ decisions: .*decisions\.jsonl:2: Entry hash mismatch/);
    expect(r.stderr).toContain("Error: Nothing was adopted: decisions does not verify.");
    expect(existsSync(integrityStatePath(logDir))).toBe(false);
  });

  test("refuses a file whose existing state disagrees", async () => {
    const store = IntegrityStateStore.open(integrityStatePath(logDir), { macKey });
    store.delete("audit/operations.jsonl");
    store.close();
    writeLines(decisions(), readLines(decisions()).slice(0, 3));
    const r = await run("audit", "adopt", "--proxy", "fs");
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain("✗ decisions: it already has integrity state, which it does not match");
    const check = IntegrityStateStore.open(integrityStatePath(logDir), { create: false, macKey });
    expect(check.get("audit/operations.jsonl")).toBeNull();
    check.close();
  });
});
