// Whether an approval may be cached (spec policy.md §7.4, shouldCache). The cache key ignores the
// arguments, so an approval of code execution would approve any later command: never cached.
import type { SideEffect } from "../../../lib/policy/index.ts";

/** Side effects whose approvals are never cached, whatever the rule allows. */
export const NEVER_CACHED_EFFECTS: ReadonlySet<SideEffect> = new Set<SideEffect>(["code_exec"]);

/**
 * `effects`: the tool's side effects (null = no tool or not in the map); `allowed`: the final
 * hitl rule's cache_side_effects (null = the rule does not allow caching).
 */
export function shouldCacheApproval(effects: Iterable<SideEffect> | null, allowed: readonly SideEffect[] | null): boolean {
  if (effects === null) return false;
  const list = [...effects];
  if (list.some((effect) => NEVER_CACHED_EFFECTS.has(effect))) return false;
  // The rule must opt in (proto: unset cache_side_effects = no caching), even for a tool with no
  // effects, which the original cached unconditionally.
  if (allowed === null) return false;
  return list.every((effect) => allowed.includes(effect));
}
