// lib/audit/query's rule-hit report → GetRuleHitsResponse (uint64 counts as bigint).
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { RuleHitCount, RuleHitsKindName, RuleHitsReport } from "../../../../lib/audit/query/index.ts";
import type { GetRuleHitsResponseSchema } from "../../../../lib/gen/mcpacp/api/v1/policy_service_pb.ts";
import { RuleHitsKind, type RuleHitsSchema } from "../../../../lib/gen/mcpacp/common/v1/policy_pb.ts";
import { timestampOfMs } from "../common/time.ts";

const KINDS: Readonly<Record<RuleHitsKindName, RuleHitsKind>> = {
  policy_rule: RuleHitsKind.POLICY_RULE,
  built_in: RuleHitsKind.BUILT_IN,
  removed_rule: RuleHitsKind.REMOVED_RULE,
};

function ruleHitsMessage(count: RuleHitCount): MessageInitShape<typeof RuleHitsSchema> {
  return {
    ruleId: count.ruleId,
    hits1h: BigInt(count.hits1h),
    hits24h: BigInt(count.hits24h),
    hits7d: BigInt(count.hits7d),
    lastHit: timestampOfMs(count.lastHitMs),
    kind: KINDS[count.kind],
    final7d: BigInt(count.final7d),
  };
}

export function ruleHitsResponse(report: RuleHitsReport, policyVersion: string): MessageInitShape<typeof GetRuleHitsResponseSchema> {
  return {
    rules: report.rules.map(ruleHitsMessage),
    scannedSince: timestampOfMs(report.scannedSinceMs),
    policyVersion,
    scanned: BigInt(report.scanned),
    truncated: report.truncated,
  };
}
