import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { useTempHome, type TempHome } from "../test-fixtures.ts";
import { ActivityTestLogs } from "./activity-test-logs.ts";
import { BUILT_IN_FINAL_RULES, readRuleHits, type RuleHitCount } from "./rule-hits.ts";

const NOW = new Date(Date.UTC(2026, 2, 10, 12, 0, 0));
const ago = (ms: number): Date => new Date(NOW.getTime() - ms);
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

let home: TempHome;
beforeEach(() => {
  home = useTempHome("rule-hits");
});
afterEach(() => home.cleanup());

function byId(rules: readonly RuleHitCount[], id: string): RuleHitCount | undefined {
  return rules.find((r) => r.ruleId === id);
}

describe("readRuleHits", () => {
  test("counts matched and final rules per window, once per decision, and lists every policy rule and built-in", async () => {
    const logs = new ActivityTestLogs(home.logDir);
    const readRule = { id: "read-docs", effect: "allow" as const };
    const denySecrets = { id: "deny-secrets", effect: "deny" as const };
    logs.decision(ago(8 * DAY), { decision: "allow", matchedRules: [readRule], finalRule: "read-docs" }); // outside 7 days
    logs.decision(ago(3 * DAY), { decision: "allow", matchedRules: [readRule], finalRule: "read-docs" });
    logs.decision(ago(5 * HOUR), { decision: "deny", matchedRules: [readRule, denySecrets], finalRule: "deny-secrets" });
    logs.decision(ago(30 * MIN), { decision: "allow", matchedRules: [readRule], finalRule: "read-docs" });
    logs.decision(ago(20 * MIN), { decision: "deny", matchedRules: [], finalRule: "default" });
    logs.decision(ago(10 * MIN), { decision: "allow", matchedRules: [{ id: "old-rule", effect: "allow" }], finalRule: "old-rule" });

    const report = await readRuleHits(home.logDir, { policyRuleIds: ["read-docs", "deny-secrets", "never-used"], now: NOW });
    expect(report.rules.map((r) => [r.ruleId, r.kind])).toEqual([
      ["read-docs", "policy_rule"],
      ["deny-secrets", "policy_rule"],
      ["never-used", "policy_rule"],
      ...BUILT_IN_FINAL_RULES.map((id) => [id, "built_in"]),
      ["old-rule", "removed_rule"],
    ]);
    expect(byId(report.rules, "read-docs")).toEqual({
      ruleId: "read-docs",
      kind: "policy_rule",
      hits1h: 1,
      hits24h: 2,
      hits7d: 3,
      final7d: 2,
      lastHitMs: ago(30 * MIN).getTime(),
    });
    expect(byId(report.rules, "deny-secrets")).toMatchObject({ hits1h: 0, hits24h: 1, hits7d: 1, final7d: 1 });
    expect(byId(report.rules, "never-used")).toMatchObject({ hits7d: 0, lastHitMs: null });
    expect(byId(report.rules, "default")).toMatchObject({ hits1h: 1, hits7d: 1, final7d: 1 });
    expect(byId(report.rules, "discovery_bypass")).toMatchObject({ hits7d: 0 });
    expect(byId(report.rules, "old-rule")).toMatchObject({ hits1h: 1, final7d: 1 });
    expect(report.scannedSinceMs).toBe(ago(7 * DAY).getTime());
    expect(report.truncated).toBe(false);
    expect(report.scanned).toBe(6);
  });

  test("without a decisions log every policy rule and built-in is listed with zero hits", async () => {
    const report = await readRuleHits(home.logDir, { policyRuleIds: ["a"], now: NOW });
    expect(report.rules).toHaveLength(1 + BUILT_IN_FINAL_RULES.length);
    expect(report.rules.every((r) => r.hits7d === 0 && r.lastHitMs === null)).toBe(true);
    expect(report.scanned).toBe(0);
  });

  test("at the scan cap the counted period starts at the oldest decision read", async () => {
    const logs = new ActivityTestLogs(home.logDir);
    for (let i = 4; i >= 1; i--) logs.decision(ago(i * HOUR), { decision: "deny" });
    const report = await readRuleHits(home.logDir, { policyRuleIds: [], now: NOW, scanCap: 2 });
    expect(report.truncated).toBe(true);
    expect(report.scannedSinceMs).toBe(ago(2 * HOUR).getTime());
    expect(byId(report.rules, "default")?.hits7d).toBe(2);
  });
});
