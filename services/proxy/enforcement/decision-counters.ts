// Request counters for stats. Every request counts toward the total; discovery counts only
// there (and in `discovery`), so total ≥ allowed + denied + hitl always holds.
import type { DecisionRecord, EnforcementCounters } from "./types.ts";

export class DecisionCounters {
  private readonly c: EnforcementCounters = { requestsTotal: 0, allowed: 0, denied: 0, hitl: 0, discovery: 0 };

  countRequest(): void {
    this.c.requestsTotal += 1;
  }

  countDiscovery(): void {
    this.c.discovery += 1;
  }

  countDecision(record: DecisionRecord): void {
    if (record.decision === "allow") this.c.allowed += 1;
    else if (record.decision === "deny") this.c.denied += 1;
    else this.c.hitl += 1;
  }

  snapshot(): EnforcementCounters {
    return { ...this.c };
  }
}
