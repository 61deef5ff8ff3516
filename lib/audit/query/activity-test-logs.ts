// For the tests of activity.ts and rule-hits.ts (and the manager's API tests): appends real sealed
// decision and operation records at chosen times to a proxy's log dir. Not exported from index.ts.

import { appendFileSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { asPayload } from "../records/common.ts";
import { buildDecisionRecord, type DecisionInput } from "../records/decisions.ts";
import { buildOperationRecord, type OperationInput } from "../records/operations.ts";
import { type ChainHead, sealRecord } from "../chain.ts";
import { logFilePath } from "../files.ts";
import { logTypeInfo } from "./log-types.ts";

/** Appends sealed records to one chained log, continuing its chain across calls. */
class ChainedLog {
  private head: ChainHead | null = null;

  constructor(readonly path: string) {}

  append(payload: object, time: Date): void {
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    const sealed = sealRecord(asPayload(payload), this.head, { time });
    appendFileSync(this.path, sealed.line, { mode: 0o600 });
    this.head = sealed.head;
  }
}

export type TestDecision = Partial<DecisionInput> & Pick<DecisionInput, "decision">;
export type TestOperation = Partial<OperationInput> & { durationMs: number };

/** Writes audit/decisions.jsonl and audit/operations.jsonl of the proxy whose log dir is `logDir`. */
export class ActivityTestLogs {
  private readonly decisions: ChainedLog;
  private readonly operations: ChainedLog;
  private requests = 0;

  constructor(logDir: string) {
    this.decisions = new ChainedLog(logFilePath(logDir, logTypeInfo("decisions").fileKey));
    this.operations = new ChainedLog(logFilePath(logDir, logTypeInfo("operations").fileKey));
  }

  decision(time: Date, input: TestDecision): void {
    const requestId = input.requestId ?? `r${++this.requests}`;
    this.decisions.append(
      buildDecisionRecord({ matchedRules: [], finalRule: "default", mcpMethod: "tools/call", toolName: "read_file", backendId: "files", policyEvalMs: 0.5, ...input, requestId }),
      time,
    );
  }

  operation(time: Date, input: TestOperation): void {
    this.operations.append(
      buildOperationRecord({ status: "Success", subject: { subject_id: "alice" }, backendId: "files", method: "tools/call", sessionId: "s1", requestId: `r${++this.requests}`, ...input }),
      time,
    );
  }
}
