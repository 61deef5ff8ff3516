// Appending one rule to a policy document without touching anything else in it: the other
// rules and top-level keys are kept exactly as parsed, the new rule as given plus its id.
// The whole resulting policy is validated, because a rule can be fine on its own and still
// clash with the others (duplicate id, identical rule).
import { PolicyError, validatePolicy, type Policy } from "../../../lib/policy/index.ts";
import type { ParsedPolicy } from "./policy-file.ts";

export enum AppendProblem {
  /** The resulting policy is invalid; `error.issues` says where (rules.<index>.… for the new rule). */
  Invalid = "invalid",
  /** The new rule's id (given or generated) is already taken by rule `existingIndex`. */
  DuplicateId = "duplicate_id",
}

export type AppendResult =
  | { ok: true; document: Record<string, unknown>; id: string; index: number; generatedId: boolean }
  | { ok: false; problem: AppendProblem.Invalid; error: PolicyError }
  | { ok: false; problem: AppendProblem.DuplicateId; id: string; existingIndex: number; generatedId: boolean };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function hasOwnId(rule: Record<string, unknown>): boolean {
  const id = rule["id"];
  return id !== undefined && id !== null && id !== "";
}

/** The rule without a blank `id` key (null or ""), which the validator treats as absent. */
function withoutBlankId(rule: unknown): unknown {
  if (!isRecord(rule) || !Object.hasOwn(rule, "id") || hasOwnId(rule)) return rule;
  const { id: _blank, ...rest } = rule;
  return rest;
}

function validated(document: Record<string, unknown>): Policy | PolicyError {
  try {
    return validatePolicy(document);
  } catch (error) {
    if (error instanceof PolicyError) return error;
    throw error;
  }
}

/** The id the rule would get on its own, or undefined when it is not a valid rule by itself. */
function idOnItsOwn(rule: unknown): string | undefined {
  if (isRecord(rule) && typeof rule["id"] === "string" && rule["id"].trim() !== "") return rule["id"];
  const alone = validated({ rules: [rule] });
  return alone instanceof PolicyError ? undefined : alone.rules[0]?.id;
}

/** Appends `rule` to a valid policy. Never throws for a bad rule: the result says what is wrong. */
export function appendRule(current: ParsedPolicy, rule: unknown): AppendResult {
  const rawRules: unknown[] = Array.isArray(current.document["rules"]) ? current.document["rules"] : [];
  const index = rawRules.length;
  const candidate = withoutBlankId(rule);
  const generatedId = !isRecord(candidate) || !hasOwnId(candidate);

  const ownId = idOnItsOwn(candidate);
  const existingIndex = ownId === undefined ? -1 : current.policy.rules.findIndex((r) => r.id === ownId);
  if (ownId !== undefined && existingIndex !== -1) {
    return { ok: false, problem: AppendProblem.DuplicateId, id: ownId, existingIndex, generatedId };
  }

  const result = validated({ ...current.document, rules: [...rawRules, candidate] });
  if (result instanceof PolicyError) return { ok: false, problem: AppendProblem.Invalid, error: result };

  const id = result.rules[index]?.id;
  if (id === undefined || !isRecord(candidate)) {
    throw new Error(`internal error: the validated policy has no rule at index ${index}`);
  }
  // The generated id goes first, where a person would write it; the proxy would add the same.
  const written = generatedId ? { id, ...candidate } : candidate;
  return { ok: true, document: { ...current.document, rules: [...rawRules, written] }, id, index, generatedId };
}
