// operations.jsonl: one record per completed client request (spec audit.md §4.1) — answered by
// the backend, refused by the proxy, or ended by the relay (backend failure, cancellation,
// shutdown). The record is written when the answer is known, before the client sees it, so a
// request the client got an answer to is always in the log. The decision record, written before
// the request went on, covers the time in between.
import { type JsonObject } from "../../../lib/audit/index.ts";
import { DENIAL_META_KEY, PERMISSION_DENIED_CODE } from "../enforcement/denial.ts";
import type { DecisionRecord } from "../enforcement/types.ts";
import type { RelayEvent } from "../relay/events.ts";
import type { RequestContext, RequestDecision } from "../relay/hooks.ts";
import type { JSONRPCRequest, JSONRPCResponse, RequestId } from "../relay/jsonrpc.ts";
import { operationPayload, type RecordFacts } from "./record-mapping.ts";

interface PendingOperation {
  request: JSONRPCRequest;
  ctx: RequestContext;
  decision: DecisionRecord | null;
}

export class OperationRecorder {
  private readonly pending = new Map<RequestId, PendingOperation>();
  private readonly write: (payload: JsonObject) => void;
  private readonly facts: RecordFacts;
  private clientId: string | null = null;

  /** `write` appends to operations.jsonl and throws when it cannot. */
  constructor(write: (payload: JsonObject) => void, facts: RecordFacts) {
    this.write = write;
    this.facts = facts;
  }

  /** Remembers clientInfo.name of the first initialize (client_id of every later record). */
  noteRequest(request: JSONRPCRequest): void {
    if (request.method !== "initialize" || this.clientId !== null) return;
    const info = request.params?.clientInfo;
    if (typeof info !== "object" || info === null) return;
    const name = (info as { name?: unknown }).name;
    if (typeof name === "string" && name !== "") this.clientId = name;
  }

  /** The request went to the backend: its record waits for the answer. */
  forwarded(request: JSONRPCRequest, ctx: RequestContext, decision: DecisionRecord | null): void {
    this.pending.set(ctx.id, { request, ctx, decision });
    // Cancelled by the client, or ended by a stop or a dying backend: no answer will come through
    // the response hook, so the abort completes the record.
    ctx.signal.addEventListener(
      "abort",
      () => {
        const reason: unknown = ctx.signal.reason;
        this.endedByRelay(ctx.id, reason instanceof Error ? reason.message : "the request was aborted");
      },
      { once: true },
    );
  }

  /** The proxy answered instead of the backend (a refusal). Throws when the record cannot be written. */
  answered(request: JSONRPCRequest, ctx: RequestContext, decision: DecisionRecord | null, answer: RequestDecision): void {
    if (answer.kind === "forward") return;
    let status: "Success" | "Failure" = "Failure";
    let errorCode: number | undefined;
    let message: string | undefined;
    let result: unknown;
    if (answer.kind === "error") {
      errorCode = answer.error.code;
      message = answer.error.message;
    } else if (isDenialResult(answer.result)) {
      errorCode = PERMISSION_DENIED_CODE;
      message = denialText(answer.result);
    } else {
      status = "Success";
      result = answer.result;
    }
    this.writeRecord({ request, ctx, decision }, status, { errorCode, message, result });
  }

  /** The backend's answer is about to reach the client. Throws when the record cannot be written. */
  responded(id: RequestId, response: JSONRPCResponse): void {
    const op = this.pending.get(id);
    if (op === undefined) return;
    this.pending.delete(id);
    if ("error" in response) {
      this.writeRecord(op, "Failure", { errorCode: response.error.code, message: response.error.message });
    } else {
      this.writeRecord(op, "Success", { result: response.result });
    }
  }

  /** The relay answered a forwarded request itself (backend send failed, answer too large). */
  onRelayEvent(event: RelayEvent): void {
    if (event.type === "backend_request_failed") this.endedByRelay(event.id, `Proxy→Backend: ${event.error.message}`);
    else if (event.type === "backend_message_rejected" && event.problem.kind === "too_large" && event.problem.id !== null) {
      this.endedByRelay(event.problem.id, `The backend's answer was discarded: ${event.problem.reason}`);
    } else if (event.type === "hook_failed" && event.stage === "response") this.endedByRelay(event.id, `Internal error: ${event.error.message}`);
  }

  /** Requests forwarded and not answered yet. */
  get inFlight(): number {
    return this.pending.size;
  }

  private endedByRelay(id: RequestId, message: string): void {
    const op = this.pending.get(id);
    if (op === undefined) return;
    this.pending.delete(id);
    try {
      this.writeRecord(op, "Failure", { errorCode: -32603, message });
    } catch {
      // The writer has saved the record to the fallback chain and started the shutdown.
    }
  }

  private writeRecord(op: PendingOperation, status: "Success" | "Failure", extra: { errorCode?: number | undefined; message?: string | undefined; result?: unknown }): void {
    const payload = operationPayload(
      {
        request: op.request,
        decision: op.decision,
        status,
        ...(extra.errorCode === undefined ? {} : { errorCode: extra.errorCode }),
        ...(extra.message === undefined ? {} : { message: extra.message }),
        ...(extra.result === undefined ? {} : { result: extra.result }),
        durationMs: performance.now() - op.ctx.receivedAt,
        clientId: this.clientId,
      },
      this.facts,
    );
    this.write(payload);
  }
}

function isDenialResult(result: Record<string, unknown>): boolean {
  const meta = result._meta;
  return typeof meta === "object" && meta !== null && DENIAL_META_KEY in meta;
}

function denialText(result: Record<string, unknown>): string | undefined {
  const content = result.content;
  if (!Array.isArray(content)) return undefined;
  const first: unknown = content[0];
  const text = typeof first === "object" && first !== null ? (first as { text?: unknown }).text : undefined;
  return typeof text === "string" ? text : undefined;
}
