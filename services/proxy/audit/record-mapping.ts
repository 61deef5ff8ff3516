// From what the proxy knows about a request to the records of spec audit.md §4.1 and §4.2.
// Arguments and results are never copied, only hashed (SHA-256 of their canonical JSON) and
// measured; paths are escaped so no crafted name can forge a line in a text view of a log.
import {
  AuditError,
  buildDecisionRecord,
  buildOperationRecord,
  escapeLineBreaks,
  logId,
  type JsonObject,
  type OperationStatus,
  type SubjectInfo,
  type TransportKind,
} from "../../../lib/audit/index.ts";
import type { DecisionRecord } from "../enforcement/types.ts";
import type { JSONRPCRequest } from "../relay/jsonrpc.ts";

/** Facts about the running proxy every operation and decision record carries. */
export interface RecordFacts {
  backendId: string;
  transport: TransportKind | undefined;
  sessionId: string;
  subject: SubjectInfo;
  /** The history version (v3) of a compiled policy's digest. */
  policyVersion(digest: string): string;
  configVersion(): string;
}

function escaped(value: string | undefined): string | undefined {
  return value === undefined ? undefined : escapeLineBreaks(value);
}

export function decisionPayload(d: DecisionRecord, facts: RecordFacts): JsonObject {
  const t = d.target;
  const h = d.hitl;
  return buildDecisionRecord({
    decision: d.decision,
    ...(h === undefined
      ? {}
      : { hitlOutcome: h.outcome, hitlCacheHit: h.cacheHit, hitlApproverId: h.approverId, approvalId: h.approvalId, policyHitlMs: h.waitMs }),
    matchedRules: d.matched,
    finalRule: d.finalRule,
    mcpMethod: d.method,
    toolName: d.toolName ?? null,
    path: escaped(t.path) ?? null,
    sourcePath: escaped(t.sourcePath) ?? null,
    destPath: escaped(t.destPath) ?? null,
    uri: escaped(t.uri) ?? null,
    scheme: t.scheme ?? null,
    subjectId: d.subjectId,
    backendId: facts.backendId,
    sideEffects: t.sideEffects ?? null,
    policyVersion: facts.policyVersion(d.policyVersion),
    policyEvalMs: d.evalMicros / 1000,
    requestId: logId(d.requestId),
    sessionId: logId(d.sessionId),
  }) as unknown as JsonObject;
}

export interface OperationFacts {
  request: JSONRPCRequest;
  decision: DecisionRecord | null;
  status: OperationStatus;
  errorCode?: number;
  message?: string;
  result?: unknown;
  durationMs: number;
  clientId: string | null;
}

export function operationPayload(op: OperationFacts, facts: RecordFacts): JsonObject {
  const t = op.decision?.target ?? {};
  const input = {
    sessionId: facts.sessionId,
    requestId: op.request.id,
    method: op.request.method,
    status: op.status,
    errorCode: op.errorCode ?? null,
    message: op.message ?? null,
    subject: facts.subject,
    clientId: op.clientId,
    backendId: facts.backendId,
    transport: facts.transport ?? null,
    toolName: op.decision?.toolName ?? null,
    filePath: t.path ?? null,
    fileExtension: t.path === undefined ? null : (t.extension ?? ""),
    sourcePath: t.sourcePath ?? null,
    destPath: t.destPath ?? null,
    params: op.request.params,
    configVersion: facts.configVersion(),
    durationMs: op.durationMs,
    result: op.result,
  };
  try {
    return buildOperationRecord(input) as unknown as JsonObject;
  } catch (error) {
    if (!(error instanceof AuditError)) throw error;
    // JSON.parse accepts numbers JSON cannot hold exactly (1e400 → Infinity). Hash what was
    // actually relayed: the value as JSON.stringify writes it.
    return buildOperationRecord({ ...input, params: asRelayed(input.params), result: asRelayed(input.result) }) as unknown as JsonObject;
  }
}

function asRelayed(value: unknown): unknown {
  if (value === undefined) return undefined;
  const text = JSON.stringify(value);
  return text === undefined ? undefined : (JSON.parse(text) as unknown);
}
