import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, renameSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PolicyError, PolicyErrorCode } from "../../../lib/policy/index.ts";
import { createMemoryLogger } from "../relay/log.ts";
import { PolicyHolder } from "./policy-holder.ts";
import type { ReloadResult } from "./reload-result.ts";

let root = "";
let caseNo = 0;
const holders: PolicyHolder[] = [];
const savedHome = process.env["MCP_ACP_HOME"];

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "mcp-acp-policy-"));
  process.env["MCP_ACP_HOME"] = root;
});

afterEach(() => {
  for (const h of holders.splice(0)) h.close();
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  if (savedHome === undefined) delete process.env["MCP_ACP_HOME"];
  else process.env["MCP_ACP_HOME"] = savedHome;
});

const ONE_RULE = { rules: [{ id: "allow-echo", effect: "allow", conditions: { tool_name: "echo" } }] };
const TWO_RULES = {
  rules: [
    { id: "allow-echo", effect: "allow", conditions: { tool_name: "echo" } },
    { id: "deny-rm", effect: "deny", conditions: { tool_name: "rm" } },
  ],
};

/** A fresh directory holding policy.json with `doc`, and a holder loaded from it. */
function setup(doc: unknown = ONE_RULE) {
  const dir = join(root, `case-${++caseNo}`);
  mkdirSync(dir, { mode: 0o700 });
  const file = join(dir, "policy.json");
  writeFileSync(file, JSON.stringify(doc), { mode: 0o600 });
  const logger = createMemoryLogger();
  const holder = PolicyHolder.load(file, logger);
  holders.push(holder);
  return { dir, file, logger, holder };
}

/** Replaces the file the way editors and `policy edit` do: write a temp file, rename it over. */
function renameOver(dir: string, file: string, text: string): void {
  const temp = join(dir, `.policy.json.${process.pid}.tmp`);
  writeFileSync(temp, text, { mode: 0o600 });
  renameSync(temp, file);
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(20);
  }
}

describe("PolicyHolder.load", () => {
  test("compiles the file; the snapshot carries its version", () => {
    const { holder, logger, file } = setup();
    expect(holder.snapshot.rules.map((r) => r.id)).toEqual(["allow-echo"]);
    expect(holder.snapshot.version).toMatch(/^sha256:/);
    expect(holder.file).toBe(file);
    expect(logger.entries.some((e) => e.fields?.["event"] === "policy_loaded")).toBe(true);
  });

  test("throws PolicyError naming the file for a missing, broken or invalid policy", () => {
    const dir = join(root, `case-${++caseNo}`);
    mkdirSync(dir);
    const file = join(dir, "policy.json");
    const load = () => PolicyHolder.load(file, createMemoryLogger());
    expect(load).toThrow(PolicyError);
    try {
      load();
    } catch (error) {
      expect(error).toMatchObject({ code: PolicyErrorCode.FileNotFound });
      expect((error as Error).message).toContain(file);
    }
    writeFileSync(file, "{ nope");
    expect(load).toThrow(expect.objectContaining({ code: PolicyErrorCode.InvalidJson }));
    writeFileSync(file, JSON.stringify({ rules: [{ effect: "allow", conditions: { tool_names: "x" } }] }));
    try {
      load();
      throw new Error("expected a validation error");
    } catch (error) {
      expect(error).toMatchObject({ code: PolicyErrorCode.Validation });
      expect((error as Error).message).toContain(file);
      expect((error as PolicyError).issues.length).toBeGreaterThan(0);
    }
  });
});

describe("PolicyHolder.reload", () => {
  test("a changed file swaps the snapshot and reports the rule counts", () => {
    const { holder, file, logger } = setup();
    const before = holder.snapshot;
    const seen: ReloadResult[] = [];
    holder.onReload((r) => seen.push(r));
    writeFileSync(file, JSON.stringify(TWO_RULES));
    const r = holder.reload("rpc");
    expect(r).toEqual({ status: "success", trigger: "rpc", oldRulesCount: 1, newRulesCount: 2, policyVersion: holder.snapshot.version });
    expect(holder.snapshot).not.toBe(before);
    expect(holder.snapshot.version).not.toBe(before.version);
    expect(before.rules).toHaveLength(1); // the old snapshot is untouched
    expect(seen).toEqual([r]);
    expect(holder.reloadCount).toBe(1);
    expect(logger.entries.some((e) => e.fields?.["event"] === "policy_reloaded")).toBe(true);
  });

  test("the same content, or the same rules written differently, is unchanged", () => {
    const { holder, file } = setup();
    const before = holder.snapshot;
    expect(holder.reload("sighup")).toMatchObject({ status: "unchanged", oldRulesCount: 1, newRulesCount: 1 });
    writeFileSync(file, JSON.stringify(ONE_RULE, null, 4));
    expect(holder.reload("sighup")).toMatchObject({ status: "unchanged", policyVersion: before.version });
    expect(holder.snapshot).toBe(before);
    expect(holder.reloadCount).toBe(0);
  });

  const failures: [string, (file: string) => void, ReloadResult["status"], string][] = [
    ["broken JSON", (f) => writeFileSync(f, '{"rules": ['), "validation_error", "invalid_json"],
    ["a validation error", (f) => writeFileSync(f, JSON.stringify({ rules: [{ effect: "ALLOW", conditions: {} }] })), "validation_error", "validation_error"],
    ["a deleted file", (f) => unlinkSync(f), "file_error", "file_not_found"],
  ];
  for (const [name, breakIt, status, errorType] of failures) {
    test(`${name} keeps the last good snapshot and logs policy_reload_failed`, () => {
      const { holder, file, logger } = setup();
      const good = holder.snapshot;
      breakIt(file);
      const r = holder.reload("file_change");
      expect(r).toMatchObject({ status, errorType, oldRulesCount: 1, newRulesCount: 1, policyVersion: good.version });
      expect(r.error).toContain(file);
      expect(holder.snapshot).toBe(good);
      const failed = logger.entries.find((e) => e.fields?.["event"] === "policy_reload_failed");
      expect(failed?.level).toBe("warn");
      expect(failed?.fields).toMatchObject({ error_type: errorType, trigger: "file_change" });
      // Restoring a valid, different file recovers.
      writeFileSync(file, JSON.stringify(TWO_RULES));
      expect(holder.reload("rpc").status).toBe("success");
      expect(holder.snapshot.rules).toHaveLength(2);
    });
  }

  test("a throwing listener does not break the reload", () => {
    const { holder, file } = setup();
    holder.onReload(() => {
      throw new Error("listener bug");
    });
    const seen: string[] = [];
    const off = holder.onReload((r) => seen.push(r.status));
    writeFileSync(file, JSON.stringify(TWO_RULES));
    expect(holder.reload("rpc").status).toBe("success");
    off();
    holder.reload("rpc");
    expect(seen).toEqual(["success"]);
  });
});

describe("PolicyHolder.watch", () => {
  test("an atomic rename-over is detected and reloaded, and the watch survives it", async () => {
    const { holder, dir, file } = setup();
    const seen: ReloadResult[] = [];
    holder.onReload((r) => seen.push(r));
    holder.watch(100);
    expect(holder.watching).toBe(true);
    // A burst of replacements: the reload (debounced) sees the end state.
    renameOver(dir, file, JSON.stringify({ rules: [] }));
    renameOver(dir, file, JSON.stringify(TWO_RULES));
    await waitFor(() => holder.snapshot.rules.length === 2, "the watcher to load the new policy");
    expect(seen.filter((r) => r.status === "success").every((r) => r.trigger === "file_change")).toBe(true);
    // A second rename-over is still seen: the watch survived the first replacement.
    renameOver(dir, file, JSON.stringify(ONE_RULE));
    await waitFor(() => holder.snapshot.rules.length === 1, "the second change");
  });

  test("a broken file written while watching keeps the last good policy", async () => {
    const { holder, dir, file, logger } = setup();
    const good = holder.snapshot;
    holder.watch(50);
    renameOver(dir, file, "{ broken");
    await waitFor(() => logger.entries.some((e) => e.fields?.["event"] === "policy_reload_failed"), "the failed reload");
    expect(holder.snapshot).toBe(good);
  });

  test("other files in the directory do not trigger reloads, and close() stops watching", async () => {
    const { holder, dir, file } = setup();
    const seen: ReloadResult[] = [];
    holder.onReload((r) => seen.push(r));
    holder.watch(20);
    writeFileSync(join(dir, "config.json"), "{}");
    await Bun.sleep(200); // well past the debounce: a reload for config.json would have happened
    expect(seen).toEqual([]);
    renameOver(dir, file, JSON.stringify(TWO_RULES));
    await waitFor(() => seen.length > 0, "the policy change");
    expect(seen.map((r) => r.trigger)).toEqual(["file_change"]);
    holder.close();
    expect(holder.watching).toBe(false);
    renameOver(dir, file, JSON.stringify(ONE_RULE));
    await Bun.sleep(200);
    expect(holder.snapshot.rules).toHaveLength(2);
  });

  test("SIGHUP reloads once reloadOnSighup() is on", async () => {
    const { holder, file } = setup();
    const listenersBefore = process.listenerCount("SIGHUP");
    holder.reloadOnSighup();
    expect(process.listenerCount("SIGHUP")).toBe(listenersBefore + 1);
    writeFileSync(file, JSON.stringify(TWO_RULES));
    process.kill(process.pid, "SIGHUP");
    await waitFor(() => holder.snapshot.rules.length === 2, "the SIGHUP reload");
    expect(holder.lastReload).toMatchObject({ status: "success", trigger: "sighup" });
    holder.close();
    expect(process.listenerCount("SIGHUP")).toBe(listenersBefore);
  });
});
