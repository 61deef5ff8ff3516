// `mcp-acp audit verify` as a real process over real chained logs written the way the proxy writes
// them (sealRecord + state rows): exit 0 intact, 1 tampered (naming file and line), 2 unable.
import { chmodSync, copyFileSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { IntegrityStateStore, PROTECTED_LOG_FILES, auditKeyPath, createAuditKey, integrityStatePath, logFilePath } from "../../lib/audit/index.ts";
import { readLines, stateFor, writeChain, writeLines } from "../../lib/audit/test-fixtures.ts";
import { resolveAppPaths } from "../../lib/paths/index.ts";
import { initializedHome, TempHome } from "../helpers/index.ts";

let home: TempHome;
let logDir: string;
/** fs's audit key: the state rows the fixtures write are signed with it, as the proxy signs them. */
let macKey: Uint8Array;

beforeAll(async () => {
  home = await initializedHome();
  for (const name of ["fs", "web"]) {
    const r = await home.run(["proxy", "add", "--name", name, "--server-name", name, "--command", `npx-${name}`]);
    expect(r.exitCode).toBe(0);
  }
  logDir = home.path("logs", "mcp-acp", "proxies", "fs");
  macKey = createAuditKey(auditKeyPath(resolveAppPaths({ MCP_ACP_HOME: home.dir, HOME: home.dir }), "fs"));
});
afterAll(() => home.remove());

/** Rebuilds fs's log dir: each chained file gets `count` records and its state row, as a proxy writes them. */
function writeProxyLogs(dir: string, count = 5): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const store = IntegrityStateStore.open(integrityStatePath(dir), { macKey });
  for (const file of PROTECTED_LOG_FILES) {
    const path = logFilePath(dir, file.fileKey);
    store.put(stateFor(file.fileKey, path, writeChain(path, count).head));
  }
  store.close();
}

beforeEach(() => {
  writeProxyLogs(logDir);
  rmSync(home.path("logs", "mcp-acp", "proxies", "web"), { recursive: true, force: true });
});

const decisions = (): string => logFilePath(logDir, "audit/decisions.jsonl");

async function verify(...extra: string[]): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  return home.run(["audit", "verify", "--proxy", "fs", ...extra]);
}

describe("audit verify: intact", () => {
  test("all six files protected → exit 0, one line per file with ✓", async () => {
    const r = await verify();
    expect(r.exitCode).toBe(0);
    for (const name of ["operations", "decisions", "auth", "system", "config-history", "policy-history"]) {
      expect(r.stdout).toMatch(new RegExp(`✓ ${name} +protected +5 entries, last seq #5`));
    }
    expect(r.stdout).toContain("Integrity state: present");
    expect(r.stdout).toContain("✓ Audit logs intact (1 proxy: 6 protected).");
    expect(r.stderr).toBe("");
  });

  test("without --proxy every proxy is covered; one that never ran does not fail the others", async () => {
    const r = await home.run(["audit", "verify"]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain("Proxy 'fs'");
    expect(r.stdout).toContain("Proxy 'web'");
    expect(r.stdout).toMatch(/· decisions +not created/);
  });

  test("--file limits the check to one file", async () => {
    writeLines(decisions(), readLines(decisions()).slice(0, 3));
    const r = await verify("--file", "operations");
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain("operations");
    expect(r.stdout).not.toContain("decisions");
    expect((await verify("-f", "decisions")).exitCode).toBe(1);
    const bad = await verify("--file", "everything");
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain("Invalid value 'everything' for --file");
  });
});

describe("audit verify: the tamper matrix → exit 1 naming file and line", () => {
  const cases: Array<[string, () => void, string, RegExp]> = [
    [
      "edit a field",
      () => {
        const lines = readLines(decisions());
        lines[1] = (lines[1] as string).replace("alice", "mallory");
        writeLines(decisions(), lines);
      },
      "BROKEN",
      /decisions\.jsonl:2: Entry hash mismatch/,
    ],
    [
      "delete a line",
      () => {
        const lines = readLines(decisions());
        lines.splice(2, 1);
        writeLines(decisions(), lines);
      },
      "BROKEN",
      /decisions\.jsonl:3: /,
    ],
    [
      "insert a forged line",
      () => {
        const lines = readLines(decisions());
        const forged = JSON.parse(lines[1] as string) as Record<string, unknown>;
        forged.tool_name = "exfiltrate";
        lines.splice(2, 0, JSON.stringify(forged));
        writeLines(decisions(), lines);
      },
      "BROKEN",
      /decisions\.jsonl:3: /,
    ],
    [
      "swap two lines",
      () => {
        const lines = readLines(decisions());
        [lines[1], lines[2]] = [lines[2] as string, lines[1] as string];
        writeLines(decisions(), lines);
      },
      "BROKEN",
      /decisions\.jsonl:2: /,
    ],
    ["truncate the tail", () => writeLines(decisions(), readLines(decisions()).slice(0, 3)), "STATE MISMATCH", /decisions\.jsonl:4: /],
    [
      "replace the file (new inode)",
      () => {
        copyFileSync(decisions(), `${decisions()}.new`);
        renameSync(`${decisions()}.new`, decisions());
      },
      "STATE MISMATCH",
      /decisions\.jsonl: .*replaced or recreated/,
    ],
    ["torn last line", () => writeFileSync(decisions(), '{"time":"2026-01-01T00:00:01.000Z","seq', { flag: "a" }), "BROKEN", /decisions\.jsonl:6: /],
    [
      "state ahead of the file",
      () => {
        const store = IntegrityStateStore.open(integrityStatePath(logDir), { macKey });
        const row = store.get("audit/decisions.jsonl");
        if (row === null) throw new Error("no row");
        store.put({ ...row, sequence: 9, lastHash: "9".repeat(64) });
        store.close();
      },
      "STATE MISMATCH",
      /decisions\.jsonl:6: /,
    ],
    ["delete the file", () => rmSync(decisions()), "MISSING", /decisions\.jsonl: /],
    [
      "a directory in place of the file",
      () => {
        rmSync(decisions());
        mkdirSync(decisions());
      },
      "STATE MISMATCH",
      /decisions\.jsonl: .*is a directory/,
    ],
    ["empty the file", () => writeFileSync(decisions(), ""), "EMPTY", /decisions\.jsonl: /],
  ];

  for (const [name, tamper, status, where] of cases) {
    test(name, async () => {
      tamper();
      const r = await verify();
      expect(r.exitCode).toBe(1);
      expect(r.stdout).toMatch(new RegExp(`✗ decisions +${status}`));
      expect(r.stdout).toMatch(where);
      expect(r.stdout).toContain(logDir);
      expect(r.stdout).toMatch(/✓ operations +protected/);
      expect(r.stdout).toContain("Audit logs TAMPERED or damaged");
      expect(r.stdout).toContain("mcp-acp audit repair --proxy fs");
    });
  }

  test("delete the state database → every file with entries is flagged", async () => {
    for (const suffix of ["", "-wal", "-shm"]) rmSync(`${integrityStatePath(logDir)}${suffix}`, { force: true });
    const r = await verify();
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain("Integrity state: not found");
    expect(r.stdout.match(/✗ \S+ +STATE MISMATCH/g)).toHaveLength(6);
    expect(r.stdout).toContain("mcp-acp audit adopt --proxy fs");
  });

  test("a corrupt state database counts as tampering", async () => {
    for (const suffix of ["-wal", "-shm"]) rmSync(`${integrityStatePath(logDir)}${suffix}`, { force: true });
    writeFileSync(integrityStatePath(logDir), "this is not a database at all, it is just some text".repeat(4));
    const r = await verify();
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain("Integrity state: CORRUPTED");
    expect(r.stdout).toContain("integrity state (CORRUPTED)");
  });
});

describe("audit verify: the audit key", () => {
  const keyPath = (): string => auditKeyPath(resolveAppPaths({ MCP_ACP_HOME: home.dir, HOME: home.dir }), "fs");
  const keyText = (): string => readFileSync(keyPath(), "utf8");

  test("a state rewritten without the key (unsigned rows) → exit 1", async () => {
    const store = IntegrityStateStore.open(integrityStatePath(logDir));
    const row = store.get("audit/decisions.jsonl");
    if (row === null) throw new Error("no row");
    store.put(row);
    store.close();
    const r = await verify();
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain("Integrity state: CORRUPTED");
    expect(r.stdout).toContain("is not signed");
  });

  test("a missing key beside signed rows → exit 1, naming the key", async () => {
    const saved = keyText();
    rmSync(keyPath());
    try {
      const r = await verify();
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toContain(`its audit key ${keyPath()} is missing`);
    } finally {
      writeFileSync(keyPath(), saved, { mode: 0o600 });
    }
  });

  test("a malformed key → exit 2 (unable to verify), naming the key", async () => {
    const saved = keyText();
    writeFileSync(keyPath(), "not a key\n");
    try {
      const r = await verify();
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toContain(`The audit key ${keyPath()} is not 64 hex digits`);
    } finally {
      writeFileSync(keyPath(), saved, { mode: 0o600 });
    }
  });
});

describe("audit verify: unable to verify → exit 2", () => {
  test("a directory in place of state.db", async () => {
    for (const suffix of ["", "-wal", "-shm"]) rmSync(`${integrityStatePath(logDir)}${suffix}`, { force: true });
    mkdirSync(integrityStatePath(logDir));
    const r = await verify();
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toContain("Integrity state: UNREADABLE");
    expect(r.stdout).toContain("Unable to verify");
  });

  test.skipIf(process.getuid?.() === 0)("a log file that cannot be read (needs a non-root user)", async () => {
    chmodSync(decisions(), 0o000);
    try {
      const r = await verify();
      expect(r.exitCode).toBe(2);
      expect(r.stdout).toMatch(/✗ decisions +error reading/);
      expect(r.stdout).toContain(`${decisions()}: `);
    } finally {
      chmodSync(decisions(), 0o600);
    }
  });

  test("nothing written yet", async () => {
    rmSync(logDir, { recursive: true, force: true });
    const r = await verify();
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toContain("Nothing to verify");
  });

  test("an unknown proxy, or no proxies at all, is exit 2, never 1", async () => {
    const unknown = await home.run(["audit", "verify", "--proxy", "ghost"]);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain("Error: Proxy 'ghost' not found.");
    const empty = new TempHome();
    try {
      expect((await empty.run(["audit", "verify"])).exitCode).toBe(2);
      expect((await empty.run(["init"])).exitCode).toBe(0);
      const none = await empty.run(["audit", "verify"]);
      expect(none.exitCode).toBe(2);
      expect(none.stdout).toContain("No proxies configured");
    } finally {
      empty.remove();
    }
  });
});

describe("audit verify --json", () => {
  test("one document: per proxy, per file: status, entries, last sequence, problems", async () => {
    const lines = readLines(decisions());
    lines[1] = (lines[1] as string).replace("alice", "mallory");
    writeLines(decisions(), lines);
    const r = await verify("--json");
    expect(r.exitCode).toBe(1);
    const doc = JSON.parse(r.stdout) as {
      verdict: string;
      exit_code: number;
      proxies: Array<{ proxy: string; verdict: string; state: { status: string }; files: Array<Record<string, unknown>> }>;
    };
    expect([doc.verdict, doc.exit_code, doc.proxies.length]).toEqual(["tampered", 1, 1]);
    const [proxy] = doc.proxies;
    expect([proxy?.proxy, proxy?.verdict, proxy?.state.status]).toEqual(["fs", "tampered", "present"]);
    expect(proxy?.files.map((f) => [f.name, f.status, f.entries, f.last_sequence])).toEqual([
      ["operations", "protected", 5, 5],
      ["decisions", "broken", 5, 5],
      ["auth", "protected", 5, 5],
      ["system", "protected", 5, 5],
      ["config_history", "protected", 5, 5],
      ["policy_history", "protected", 5, 5],
    ]);
    expect(proxy?.files[1]?.problems).toEqual([
      expect.objectContaining({ line: 2, code: "entry_hash_mismatch", sequence: 2, reason: expect.stringContaining("Entry hash mismatch") }),
    ]);
    const intact = JSON.parse((await home.run(["audit", "verify", "--json", "--file", "auth"])).stdout) as { verdict: string; exit_code: number; proxies: unknown[] };
    expect([intact.verdict, intact.exit_code, intact.proxies.length]).toEqual(["intact", 0, 2]);
  });
});
