// `mcp-acp logs list | show` as real processes over real log files: newest first, filters of
// spec audit.md §11, -n, cursor paging that continues exactly, --json, and the wire-log rules.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type ChainHead, type JsonObject, IntegrityStateStore, integrityStatePath, logFilePath, sealRecord } from "../../lib/audit/index.ts";
import { initializedHome, TempHome } from "../helpers/index.ts";

let home: TempHome;
let logDir: string;
const COUNT = 30;

function decision(i: number): JsonObject {
  return {
    event: "policy_decision",
    decision: ["allow", "deny", "hitl"][i % 3] ?? "allow",
    ...(i % 3 === 2 ? { hitl_outcome: i % 2 === 0 ? "user_allowed" : "user_denied" } : {}),
    matched_rules: [],
    final_rule: "default",
    mcp_method: "tools/call",
    tool_name: `tool-${i}`,
    backend_id: "fs",
    policy_version: i <= 15 ? "v1" : "v2",
    policy_eval_ms: 0.5,
    policy_total_ms: 0.5,
    request_id: String(i),
    session_id: `s${i % 2}`,
  };
}

/** A chained log as the proxy writes it: sealed records, one a minute, and its state row. */
function writeChained(fileKey: string, records: readonly JsonObject[], endTime: number): void {
  const path = logFilePath(logDir, fileKey);
  mkdirSync(join(path, ".."), { recursive: true, mode: 0o700 });
  let head: ChainHead | null = null;
  const lines: string[] = [];
  records.forEach((payload, i) => {
    const sealed = sealRecord(payload, head, { time: new Date(endTime - (records.length - 1 - i) * 60_000) });
    head = sealed.head;
    lines.push(sealed.line);
  });
  writeFileSync(path, lines.join(""), { mode: 0o600 });
}

beforeAll(async () => {
  home = await initializedHome();
  for (const name of ["fs", "web"]) {
    const r = await home.run(["proxy", "add", "--name", name, "--server-name", name, "--command", `npx-${name}`]);
    expect(r.exitCode).toBe(0);
  }
  logDir = home.path("logs", "mcp-acp", "proxies", "fs");
  const now = Date.now();
  writeChained("audit/decisions.jsonl", Array.from({ length: COUNT }, (_, i) => decision(i + 1)), now);
  writeChained(
    "system/system.jsonl",
    [
      { event: "backend_disconnected", level: "CRITICAL", message: "gone" },
      { event: "integrity_verification_warning", level: "WARNING", message: "lagging" },
      { event: "audit_fallback", level: "CRITICAL", message: "fallback" },
    ],
    now,
  );
  writeFileSync(join(logDir, "audit", "decisions.broken.2026-01-01_000000.jsonl"), "old\n");
  IntegrityStateStore.open(integrityStatePath(logDir)).close();
});
afterAll(() => home.remove());

function requestIds(stdout: string): string[] {
  return stdout
    .trim()
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => String((JSON.parse(l) as { request_id: string }).request_id));
}

const show = (...args: string[]) => home.run(["logs", "show", "--proxy", "fs", ...args]);

describe("logs show", () => {
  test("newest first, the raw lines as written; -n", async () => {
    const r = await show("--type", "decisions", "-n", "3");
    expect(r.exitCode).toBe(0);
    expect(requestIds(r.stdout)).toEqual(["30", "29", "28"]);
    const fileLines = readFileSync(logFilePath(logDir, "audit/decisions.jsonl"), "utf8").trim().split("\n");
    expect(r.stdout.split("\n")[0]).toBe(fileLines.at(-1) as string);
    expect(r.stderr).toContain("Older entries exist; to see them add: --before c1.");
  });

  test("cursor paging: the second page continues exactly where the first ended", async () => {
    const first = await show("--type", "decisions", "-n", "12");
    const cursor = /--before (\S+)/.exec(first.stderr)?.[1];
    expect(cursor).toBeDefined();
    const second = await show("--type", "decisions", "-n", "12", "--before", cursor ?? "");
    const third = await show("--type", "decisions", "-n", "12", "--before", /--before (\S+)/.exec(second.stderr)?.[1] ?? "");
    const all = [...requestIds(first.stdout), ...requestIds(second.stdout), ...requestIds(third.stdout)];
    expect(all).toEqual(Array.from({ length: COUNT }, (_, i) => String(COUNT - i)));
    expect(third.stderr).not.toContain("Older entries exist");
  });

  test("filters: comma lists, the hitl mapping, AND-ed", async () => {
    expect(requestIds((await show("--type", "decisions", "--decision", "deny", "-n", "4")).stdout)).toEqual(["28", "25", "22", "19"]);
    expect(requestIds((await show("--type", "decisions", "--hitl-outcome", "denied", "--policy-version", "1")).stdout)).toEqual(["11", "5"]);
    expect(requestIds((await show("--type", "decisions", "--decision", "allow,hitl", "--session-id", "s0", "-n", "3")).stdout)).toEqual(["30", "26", "24"]);
    expect(requestIds((await show("--type", "decisions", "--request-id", "7")).stdout)).toEqual(["7"]);
    const levels = await show("--type", "system", "--level", "critical");
    expect(levels.stdout.trim().split("\n").map((l) => (JSON.parse(l) as { event: string }).event)).toEqual(["audit_fallback", "backend_disconnected"]);
  });

  test("time range: --since 5m shows only the last minutes", async () => {
    const r = await show("--type", "decisions", "--since", "5m");
    expect(requestIds(r.stdout).length).toBeGreaterThanOrEqual(4);
    expect(requestIds(r.stdout).length).toBeLessThanOrEqual(6);
    expect(requestIds(r.stdout)[0]).toBe("30");
  });

  test("--json: one page document", async () => {
    const r = await show("--type", "decisions", "-n", "2", "--decision", "hitl", "--json");
    expect(r.exitCode).toBe(0);
    const page = JSON.parse(r.stdout) as Record<string, unknown> & { entries: Array<{ request_id: string; decision: string }> };
    expect(page.entries.map((e) => [e.request_id, e.decision])).toEqual([
      ["29", "hitl"],
      ["26", "hitl"],
    ]);
    expect(page).toMatchObject({ total_returned: 2, has_more: true, exists: true, log_file: logFilePath(logDir, "audit/decisions.jsonl"), filters_applied: { decision: "hitl" } });
    expect(String(page.next_cursor)).toStartWith("c1.");
    const next = JSON.parse((await show("--type", "decisions", "-n", "2", "--decision", "hitl", "--json", "--before", String(page.next_cursor))).stdout) as {
      entries: Array<{ request_id: string }>;
    };
    expect(next.entries.map((e) => e.request_id)).toEqual(["23", "20"]);
  });

  test("a log not written yet says so and exits 0", async () => {
    const r = await show("--type", "auth");
    expect([r.exitCode, r.stdout]).toEqual([0, ""]);
    expect(r.stderr).toContain("No auth log yet for proxy 'fs'");
    const json = JSON.parse((await show("--type", "config-history", "--json")).stdout) as { exists: boolean; entries: unknown[] };
    expect([json.exists, json.entries]).toEqual([false, []]);
  });

  test("bad values are usage errors (exit 2); a foreign cursor is exit 1", async () => {
    const notApplicable = await show("--type", "operations", "--decision", "allow");
    expect(notApplicable.exitCode).toBe(2);
    expect(notApplicable.stderr).toContain("--decision: The decision filter does not apply to the operations log");
    expect((await show("--type", "decisions", "--decision", "maybe")).exitCode).toBe(2);
    expect((await show("--type", "decisions", "-n", "0")).exitCode).toBe(2);
    expect((await show("--type", "decisions", "-n", "1001")).exitCode).toBe(2);
    expect((await show("--type", "decisions", "--since", "2d")).exitCode).toBe(2);
    expect((await show("--type", "nonsense")).exitCode).toBe(2);
    expect((await show("--type", "decisions", "--before", "yesterday")).exitCode).toBe(2);
    const first = await show("--type", "system", "-n", "1");
    const cursor = /--before (\S+)/.exec(first.stderr)?.[1] ?? "";
    const foreign = await show("--type", "decisions", "--before", cursor);
    expect(foreign.exitCode).toBe(1);
    expect(foreign.stderr).toContain("The cursor belongs to system/system.jsonl");
  });

  test("wire logs: a clear error unless log_level is DEBUG", async () => {
    const off = await show("--type", "client-wire");
    expect(off.exitCode).toBe(1);
    expect(off.stderr).toContain("The client-wire log exists only with log_level DEBUG; proxy 'fs' has log_level INFO.");
    expect(off.stderr).toContain("mcp-acp config edit --proxy fs");
    const configPath = home.path("config", "proxies", "fs", "config.json");
    const original = readFileSync(configPath, "utf8");
    try {
      writeFileSync(configPath, JSON.stringify({ ...(JSON.parse(original) as object), log_level: "DEBUG" }));
      const missing = await show("--type", "backend-wire");
      expect(missing.exitCode).toBe(0);
      expect(missing.stderr).toContain("No backend-wire log yet");
      const wire = logFilePath(logDir, "debug/backend_wire.jsonl");
      mkdirSync(join(wire, ".."), { recursive: true });
      writeFileSync(wire, `${JSON.stringify({ time: new Date().toISOString(), event: "proxy_request", request_id: "9" })}\n`);
      expect(requestIds((await show("--type", "backend_wire", "--event-type", "proxy_request")).stdout)).toEqual(["9"]);
    } finally {
      writeFileSync(configPath, original);
      rmSync(join(logDir, "debug"), { recursive: true, force: true });
    }
  });

  test("logs view is the same command", async () => {
    expect(requestIds((await home.run(["logs", "view", "-p", "fs", "-t", "decisions", "-n", "1"])).stdout)).toEqual(["30"]);
  });
});

describe("logs list", () => {
  test("with --proxy: description, existence, size, entries, path and backups per log", async () => {
    const r = await home.run(["logs", "list", "--proxy", "fs"]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain("decisions: Policy decisions");
    expect(r.stdout).toMatch(/✓ exists \(\d+\.\d KB, 30 entries\)/);
    expect(r.stdout).toContain(logFilePath(logDir, "audit/decisions.jsonl"));
    expect(r.stdout).toContain("backup: decisions.broken.2026-01-01_000000.jsonl (4 B)");
    expect(r.stdout).toMatch(/auth: .*\n\s+✗ not created/);
    expect(r.stdout).not.toContain("client-wire");
  });

  test("without --proxy: every proxy, one line per log", async () => {
    const r = await home.run(["logs", "list"]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain("Proxy 'fs'");
    expect(r.stdout).toContain("Proxy 'web'");
    expect(r.stdout).toMatch(/✓ decisions +\S+decisions\.jsonl +\[1 backup\]/);
    expect(r.stdout).toMatch(/✗ config-history +\S+config_history\.jsonl/);
  });

  test("--json: folders with files, backups and versions", async () => {
    const r = await home.run(["logs", "list", "--proxy", "fs", "--json"]);
    const doc = JSON.parse(r.stdout) as {
      proxies: Array<{ proxy: string; debug_enabled: boolean; folders: Array<{ name: string; files: Array<Record<string, unknown>> }> }>;
    };
    const [fs] = doc.proxies;
    expect([fs?.proxy, fs?.debug_enabled, fs?.folders.map((f) => f.name)]).toEqual(["fs", false, ["audit", "system", "debug"]]);
    expect(fs?.folders[0]?.files[0]).toMatchObject({ type: "decisions", exists: true, entry_count: 30, backups: [expect.objectContaining({ filename: "decisions.broken.2026-01-01_000000.jsonl", size_bytes: 4 })] });
  });

  test("an unknown proxy exits 1", async () => {
    const r = await home.run(["logs", "list", "--proxy", "ghost"]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("Proxy 'ghost' not found.");
  });
});
