// The tools/list filter (design §4): a tool is listed only when some allow or hitl rule could
// match a call of it, and no deny rule matches it on tool-level attributes alone (a deny that
// needs no path or argument would refuse every call). "Could match" assumes the path and
// argument conditions can be met by some call; only what the tool's name, the backend and
// the subject decide is tested.

import { type CompiledPolicy, type Probe, toolMatchedRules } from "./compile.ts";
import { inferOperation } from "./operations.ts";
import { lookupSideEffects } from "./side-effects.ts";

export interface ToolVisibilityInput {
  toolName: string;
  backendId: string;
  subjectId: string | null;
}

export function isToolVisible(snapshot: CompiledPolicy, input: ToolVisibilityInput): boolean {
  const toolLower = input.toolName.toLowerCase();
  const probe: Probe = {
    toolName: input.toolName,
    toolLower,
    operation: inferOperation(input.toolName),
    sideEffects: lookupSideEffects(input.toolName),
    arguments: undefined,
    backendLower: input.backendId.toLowerCase(),
    method: "tools/call",
    subjectId: input.subjectId,
    resourceType: "tool",
    scheme: null,
  };
  let couldPermit = false;
  let couldAskHuman = false;
  let alwaysDenied = false;
  for (const rule of toolMatchedRules(snapshot, probe, input.toolName, toolLower)) {
    if (rule.effect === "deny") {
      if (rule.argumentsCheck === null && rule.targetChecks.length === 0) alwaysDenied = true;
    } else {
      couldPermit = true;
      if (rule.effect === "hitl") couldAskHuman = true;
    }
  }
  if (!couldPermit) return false;
  // Under hitl-overrides a matching hitl rule outranks the deny, so the tool stays usable.
  if (alwaysDenied) return snapshot.combining === "hitl-overrides" && couldAskHuman;
  return true;
}
