// How often each policy rule matched requests in the last hour, day and week, from a proxy's
// audit/decisions.jsonl. A decision counts once for every rule it names: its final_rule and each
// of its matched_rules. Every rule of the current policy is listed even without hits (a rule that
// never matches is worth a warning), then the engine's own final rules, then rule ids the decisions
// name that the policy no longer has.

import { FINAL_RULE_DEFAULT, FINAL_RULE_DISCOVERY, FINAL_RULE_PROTECTED_PATH, FINAL_RULE_RATE_LIMIT } from "../../policy/index.ts";
import { logFilePath } from "../files.ts";
import { scanRecentRecords } from "./activity-scan.ts";
import { logTypeInfo } from "./log-types.ts";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
export const RULE_HITS_PERIOD_MS = 7 * DAY_MS;

/**
 * Final rules the proxy decides by itself; listed always, like the policy's own rules. The last
 * three are the proxy pipeline's refusals (global rate limit, unreadable request context, engine
 * failure), spelled as services/proxy/enforcement writes them.
 */
export const BUILT_IN_FINAL_RULES: readonly string[] = Object.freeze([
  FINAL_RULE_DEFAULT,
  FINAL_RULE_DISCOVERY,
  FINAL_RULE_PROTECTED_PATH,
  FINAL_RULE_RATE_LIMIT,
  "global_rate_limit",
  "context_error",
  "engine_error",
]);

export type RuleHitsKindName = "policy_rule" | "built_in" | "removed_rule";

export interface RuleHitCount {
  ruleId: string;
  kind: RuleHitsKindName;
  hits1h: number;
  hits24h: number;
  hits7d: number;
  /** Of hits7d, the decisions this rule was the final_rule of. */
  final7d: number;
  /** Newest matching decision (epoch ms); null when none in the period. */
  lastHitMs: number | null;
}

export interface RuleHitsOptions {
  /** Rule ids of the current policy, in file order. */
  policyRuleIds: readonly string[];
  now?: Date;
  /** Lines looked at (tests). */
  scanCap?: number;
}

export interface RuleHitsReport {
  rules: RuleHitCount[];
  /** Start of the counted period: 7 days back, or the oldest record read when truncated. */
  scannedSinceMs: number;
  untilMs: number;
  scanned: number;
  truncated: boolean;
}

function emptyCount(ruleId: string, kind: RuleHitsKindName): RuleHitCount {
  return { ruleId, kind, hits1h: 0, hits24h: 0, hits7d: 0, final7d: 0, lastHitMs: null };
}

/** The ids a decision names: matched_rules[].id and final_rule, each once. */
function ruleIdsOf(record: Record<string, unknown>): { ids: Set<string>; final: string | undefined } {
  const ids = new Set<string>();
  const matched = record.matched_rules;
  if (Array.isArray(matched)) {
    for (const m of matched) {
      const id = typeof m === "object" && m !== null ? (m as Record<string, unknown>).id : undefined;
      if (typeof id === "string" && id !== "") ids.add(id);
    }
  }
  const final = typeof record.final_rule === "string" && record.final_rule !== "" ? record.final_rule : undefined;
  if (final !== undefined) ids.add(final);
  return { ids, final };
}

/** Hit counts of the proxy whose log dir is `logDir`. */
export async function readRuleHits(logDir: string, options: RuleHitsOptions): Promise<RuleHitsReport> {
  const untilMs = (options.now ?? new Date()).getTime();
  const sinceMs = untilMs - RULE_HITS_PERIOD_MS;
  const counts = new Map<string, RuleHitCount>();
  for (const id of options.policyRuleIds) if (!counts.has(id)) counts.set(id, emptyCount(id, "policy_rule"));
  for (const id of BUILT_IN_FINAL_RULES) if (!counts.has(id)) counts.set(id, emptyCount(id, "built_in"));
  const removed: RuleHitCount[] = [];

  const scan = await scanRecentRecords(
    logFilePath(logDir, logTypeInfo("decisions").fileKey),
    { sinceMs, untilMs, ...(options.scanCap === undefined ? {} : { scanCap: options.scanCap }) },
    (record, timeMs) => {
      const { ids, final } = ruleIdsOf(record);
      const age = untilMs - timeMs;
      for (const id of ids) {
        let count = counts.get(id);
        if (count === undefined) {
          count = emptyCount(id, "removed_rule");
          counts.set(id, count);
          removed.push(count);
        }
        count.hits7d++;
        if (age < DAY_MS) count.hits24h++;
        if (age < HOUR_MS) count.hits1h++;
        if (id === final) count.final7d++;
        // Newest first: the first hit seen is the last one made.
        if (count.lastHitMs === null) count.lastHitMs = timeMs;
      }
    },
  );

  removed.sort((a, b) => (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0));
  const listed = [...counts.values()].filter((c) => c.kind !== "removed_rule");
  return {
    rules: [...listed, ...removed],
    scannedSinceMs: scan.truncated ? (scan.oldestMs ?? untilMs) : sinceMs,
    untilMs,
    scanned: scan.scanned,
    truncated: scan.truncated,
  };
}
