// Turning policies back into file content without losing anything: generated ids are inserted
// into the user's own document (unknown content cannot exist, since validation rejects it, but
// formatting choices like `"tool_name": "x"` vs `["x"]` are kept) and no nulls are added.

import { PolicyError, PolicyErrorCode } from "./errors.ts";
import { isPlainRecord } from "./issues.ts";
import type { Policy, Rule } from "./model.ts";

export interface IdWriteBack {
  document: unknown;
  /** False when every rule already had an id, so the file need not be rewritten. */
  changed: boolean;
}

/**
 * Adds the generated ids of `policy` (validated from `document`) to the rules of `document`
 * that had none, as each rule's first key. Pure: returns a new document.
 */
export function addGeneratedIds(document: unknown, policy: Policy): IdWriteBack {
  if (!isPlainRecord(document)) return { document, changed: false };
  const rawRules = document["rules"];
  if (!Array.isArray(rawRules)) return { document, changed: false };
  if (rawRules.length !== policy.rules.length) {
    throw new PolicyError(
      PolicyErrorCode.Validation,
      `cannot write generated ids: the document has ${rawRules.length} rules but the policy has ${policy.rules.length}; validate this document first`,
    );
  }
  let changed = false;
  const rules = rawRules.map((raw: unknown, i) => {
    if (!isPlainRecord(raw)) return raw;
    const id = raw["id"];
    if (id !== undefined && id !== null && id !== "") return raw;
    changed = true;
    const { id: _omit, ...rest } = raw;
    return { id: (policy.rules[i] as Rule).id, ...rest };
  });
  return changed ? { document: { ...document, rules }, changed } : { document, changed };
}

/** The policy as a plain JSON document with ids and without null or absent fields. */
export function policyToDocument(policy: Policy): Record<string, unknown> {
  return {
    version: policy.version,
    default_action: policy.default_action,
    combining: policy.combining,
    rules: policy.rules.map((rule) => {
      const out: Record<string, unknown> = { id: rule.id };
      if (rule.description !== undefined) out["description"] = rule.description;
      out["effect"] = rule.effect;
      out["conditions"] = rule.conditions;
      if (rule.cache_side_effects !== undefined) out["cache_side_effects"] = rule.cache_side_effects;
      return out;
    }),
  };
}

/** policy.json text: two-space indentation and a final newline. */
export function formatPolicyDocument(document: unknown): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
