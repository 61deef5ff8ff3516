// lib/audit/repair: offline repair of a stopped proxy's chained logs (spec audit.md §10, §16.9),
// shared by `mcp-acp audit repair` and the manager's RepairAudit.

export { RepairActionKind, planChangesSomething, planRepair, type FileRepairPlan, type PlanRepairOptions, type RepairPlan } from "./plan.ts";
export { carryOutRepair, type CarryOutOptions, type FileRepairOutcome, type RepairOutcome } from "./actions.ts";
export { setAsideBrokenLog, setAsideStateDb } from "./set-aside.ts";
