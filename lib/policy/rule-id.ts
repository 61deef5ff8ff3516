// Stable ids for rules that have none: `rule_` + 8 hex chars of SHA-256 over the rule's effect
// and non-null conditions, serialised as Python's json.dumps(sort_keys=True) does, so ids
// match the ones the original wrote (spec §4 test vectors).

import { createHash } from "node:crypto";
import type { Conditions, Effect, JsonValue } from "./model.ts";
import { pythonJsonDumps } from "./python-json.ts";

export const GENERATED_RULE_ID_PREFIX = "rule_";

/** The hashed text J. `description` and `cache_side_effects` are deliberately not part of it. */
export function ruleIdSource(effect: Effect, conditions: Conditions): string {
  const present: Record<string, JsonValue> = {};
  for (const [key, value] of Object.entries(conditions)) {
    if (value !== null && value !== undefined) present[key] = value as JsonValue;
  }
  return pythonJsonDumps({ effect, conditions: present });
}

export function generateRuleId(effect: Effect, conditions: Conditions): string {
  const digest = createHash("sha256").update(ruleIdSource(effect, conditions), "utf8").digest("hex");
  return GENERATED_RULE_ID_PREFIX + digest.slice(0, 8);
}
