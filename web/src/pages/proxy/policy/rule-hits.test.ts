/// <reference path="../../../../../node_modules/bun-types/test.d.ts" />
import { describe, expect, test } from "bun:test";
import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { RuleHitsKind, RuleHitsSchema } from "../../../../../lib/gen/mcpacp/common/v1/policy_pb.ts";
import { ago, builtInSummary, hitsView, indexHits } from "./rule-hits.ts";

const NOW = Date.UTC(2026, 2, 1, 12, 0, 0);

describe("rule hits", () => {
  test("counts and last hit of a matching rule", () => {
    const hits = create(RuleHitsSchema, { ruleId: "r1", kind: RuleHitsKind.POLICY_RULE, hits1h: 3n, hits24h: 41n, hits7d: 99n, lastHit: timestampFromMs(NOW - 5 * 60_000) });
    const view = hitsView(hits, { now: NOW, truncated: false });
    expect(view.counts).toBe("1h: 3 · 24h: 41 · 7d: 99");
    expect(view.lastHit).toBe("last hit 5m ago");
    expect(view.neverMatched).toBe(false);
    expect(view.warning).toBe("");
  });

  test("a rule without hits, or missing from the answer, is flagged as never matched", () => {
    const zero = hitsView(create(RuleHitsSchema, { ruleId: "r2", kind: RuleHitsKind.POLICY_RULE }), { now: NOW, truncated: false });
    expect(zero.neverMatched).toBe(true);
    expect(zero.warning).toContain("in the last 7 days");
    expect(hitsView(undefined, { now: NOW, truncated: false }).neverMatched).toBe(true);
    const truncated = hitsView(undefined, { now: NOW, truncated: true, since: timestampFromMs(NOW - 3600_000) });
    expect(truncated.warning).toContain("since");
  });

  test("only policy rules are indexed; built-ins are summarised", () => {
    const rules = [
      create(RuleHitsSchema, { ruleId: "r1", kind: RuleHitsKind.POLICY_RULE }),
      create(RuleHitsSchema, { ruleId: "default", kind: RuleHitsKind.BUILT_IN, hits24h: 7n }),
      create(RuleHitsSchema, { ruleId: "old", kind: RuleHitsKind.REMOVED_RULE, hits24h: 2n }),
    ];
    expect([...indexHits(rules).keys()]).toEqual(["r1"]);
    expect(builtInSummary(rules)).toBe("Built-in outcomes in the last 24 h — default: 7");
  });

  test("relative times", () => {
    expect(ago(NOW - 1000, NOW)).toBe("just now");
    expect(ago(NOW - 3 * 3600_000, NOW)).toBe("3h ago");
    expect(ago(NOW - 2 * 86_400_000, NOW)).toBe("2d ago");
  });
});
