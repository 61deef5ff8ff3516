// Rule hit counts (GetRuleHits): per-rule text and the never-matched warning.
import type { Timestamp } from "@bufbuild/protobuf/wkt";
import { type RuleHits, RuleHitsKind } from "../../../../../lib/gen/mcpacp/common/v1/policy_pb.ts";

export interface HitsView {
  /** e.g. "1h: 3 · 24h: 41" */
  counts: string;
  /** e.g. "last hit 5m ago", or "" when none. */
  lastHit: string;
  /** No match in the whole counted period (7 days, or less when the scan was truncated). */
  neverMatched: boolean;
  /** The warning sentence for never-matched rules. */
  warning: string;
}

function toMs(ts: Timestamp): number {
  return Number(ts.seconds) * 1000 + Math.floor(ts.nanos / 1e6);
}

/** "just now", "42s ago", "5m ago", "3h ago", "2d ago". */
export function ago(ms: number, now: number): string {
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 5) return "just now";
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ago`;
  return `${Math.floor(s / 86_400)}d ago`;
}

export function indexHits(rules: readonly RuleHits[]): Map<string, RuleHits> {
  return new Map(rules.filter((r) => r.kind === RuleHitsKind.POLICY_RULE).map((r) => [r.ruleId, r]));
}

export function hitsView(hits: RuleHits | undefined, opts: { now: number; truncated: boolean; since?: Timestamp | undefined }): HitsView {
  const h1 = hits?.hits1h ?? 0n;
  const h24 = hits?.hits24h ?? 0n;
  const h7 = hits?.hits7d ?? 0n;
  const last = hits?.lastHit;
  const neverMatched = h7 === 0n;
  const period = opts.truncated && opts.since !== undefined ? `since ${new Date(toMs(opts.since)).toLocaleString()}` : "in the last 7 days";
  return {
    counts: `1h: ${h1} · 24h: ${h24} · 7d: ${h7}`,
    lastHit: last === undefined ? "" : `last hit ${ago(toMs(last), opts.now)}`,
    neverMatched,
    warning: neverMatched ? `Never matched ${period} — check the conditions, or whether a broader rule decides first.` : "",
  };
}

/** The built-in outcomes worth a line under the list (e.g. how often the default deny decided). */
export function builtInSummary(rules: readonly RuleHits[]): string {
  const parts = rules
    .filter((r) => r.kind === RuleHitsKind.BUILT_IN && r.hits24h > 0n)
    .map((r) => `${r.ruleId}: ${r.hits24h}`);
  return parts.length === 0 ? "" : `Built-in outcomes in the last 24 h — ${parts.join(" · ")}`;
}
