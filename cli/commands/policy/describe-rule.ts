// One-line text for a rule's parts in `policy show`. Values come from a file anyone with write
// access to it may have edited, so control characters are escaped rather than sent to the terminal.
import type { Conditions, Rule } from "../../../lib/policy/index.ts";

const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/g;

/** The text with control characters shown as JSON escapes (\n, \u001b, …). */
export function printable(text: string): string {
  return text.replace(CONTROL_CHARS, (ch) => JSON.stringify(ch).slice(1, -1));
}

function conditionValue(value: unknown): string {
  if (typeof value === "string") return printable(value);
  if (Array.isArray(value) && value.every((item) => typeof item === "string")) {
    return `[${value.map((item) => printable(item)).join(", ")}]`;
  }
  return printable(JSON.stringify(value));
}

/** `tool_name=bash, operations=[read, write]` in the file's key order. */
export function conditionsSummary(conditions: Conditions): string {
  return Object.entries(conditions)
    .filter(([, value]) => value !== undefined && value !== null)
    .map(([key, value]) => `${key}=${conditionValue(value)}`)
    .join(", ");
}

/** Label/value rows describing one rule (its id is the heading, not a row). */
export function ruleRows(rule: Rule): [label: string, value: string][] {
  const rows: [string, string][] = [
    ["Effect", rule.effect],
    ["Conditions", conditionsSummary(rule.conditions)],
  ];
  if (rule.description !== undefined && rule.description !== "") rows.push(["Description", printable(rule.description)]);
  if (rule.cache_side_effects !== undefined) {
    rows.push(["Cache for", rule.cache_side_effects.length > 0 ? rule.cache_side_effects.join(", ") : "(nothing)"]);
  }
  return rows;
}
