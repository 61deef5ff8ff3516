// Specificity score (spec §5.4), used only to pick the logged final rule among the matches that
// share the winning effect: +100 per condition, +10 for exact (wildcard-free) name/path/method
// conditions and for resource_type/subject_id, +1 per literal leading path segment.

import { hasWildcard } from "./glob.ts";
import type { ArgumentMatcher, Conditions, StringOrList } from "./model.ts";

function items(value: StringOrList): string[] {
  return typeof value === "string" ? [value] : value;
}

function exactBonus(value: StringOrList | undefined): number {
  if (value === undefined) return 0;
  return items(value).some(hasWildcard) ? 0 : 10;
}

function literalDepth(pattern: string): number {
  let depth = 0;
  for (const segment of pattern.split("/")) {
    if (segment === "") continue;
    if (hasWildcard(segment)) break;
    depth++;
  }
  return depth;
}

function segmentBonus(value: StringOrList | undefined): number {
  if (value === undefined) return 0;
  return Math.max(0, ...items(value).map(literalDepth));
}

function argumentsBonus(matchers: Record<string, ArgumentMatcher> | undefined): number {
  if (matchers === undefined) return 0;
  return Object.values(matchers).every((m) => "equals" in m) ? 10 : 0;
}

export function ruleSpecificity(c: Conditions): number {
  let score = 0;
  for (const value of Object.values(c)) if (value !== undefined && value !== null) score += 100;
  score += exactBonus(c.tool_name) + exactBonus(c.backend_id) + exactBonus(c.mcp_method);
  for (const path of [c.path_pattern, c.source_path, c.dest_path]) score += exactBonus(path) + segmentBonus(path);
  if (c.resource_type !== undefined) score += 10;
  if (c.subject_id !== undefined) score += 10;
  return score + argumentsBonus(c.arguments);
}
