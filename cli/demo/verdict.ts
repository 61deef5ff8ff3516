// What the proxy did with one call, in the demo's words, derived from the proxy's own decision
// record — and the checks that the client saw the same thing.
import { FINAL_RULE_DEFAULT, FINAL_RULE_PROTECTED_PATH } from "../../lib/policy/index.ts";
import { DENIAL_META_KEY } from "../../services/proxy/enforcement/index.ts";
import type { ProxyDecision } from "./decision-feed.ts";

export type Verdict = "allowed" | "denied" | "hidden" | "protected" | "approval-denied";

export const VERDICT_LABEL: Readonly<Record<Verdict, string>> = {
  allowed: "allowed",
  denied: "denied",
  hidden: "hidden",
  protected: "protected",
  "approval-denied": "hitl → denied",
};

export function verdictOf(record: ProxyDecision): Verdict {
  if (record.finalRule === FINAL_RULE_PROTECTED_PATH) return "protected";
  if (record.outcome === "forwarded") return "allowed";
  return record.decision === "hitl" ? "approval-denied" : "denied";
}

/** The "why" column: which rule decided, in words. */
export function describeRule(record: ProxyDecision): string {
  if (record.finalRule === FINAL_RULE_PROTECTED_PATH) return "built-in protected path";
  if (record.finalRule === FINAL_RULE_DEFAULT) return "no rule matched (default deny)";
  if (record.decision === "hitl" && record.outcome === "denied") return `${record.finalRule}: ${record.reason}`;
  return record.finalRule;
}

export interface CallResultLike {
  isError?: unknown;
  _meta?: unknown;
  content?: unknown;
}

/** The denial marker of a tools/call result, if the proxy refused the call. */
export function denialOf(result: CallResultLike): { decision: string; kind: string } | undefined {
  const meta = result._meta;
  if (meta === null || typeof meta !== "object") return undefined;
  const denial = (meta as Record<string, unknown>)[DENIAL_META_KEY];
  if (denial === null || typeof denial !== "object") return undefined;
  const { decision, kind } = denial as Record<string, unknown>;
  return { decision: String(decision), kind: String(kind) };
}

/** The text parts of a tools/call result, joined. */
export function resultText(result: CallResultLike): string {
  if (!Array.isArray(result.content)) return "";
  return result.content
    .map((part: unknown) => (part !== null && typeof part === "object" && (part as { type?: unknown }).type === "text" ? String((part as { text?: unknown }).text) : ""))
    .join("\n");
}
