// The proxy's own account of each decision. With log_level DEBUG the proxy logs every decision
// record on stderr as `<prefix> debug: Decision … {"event":"decision",…}`; the demo reads them
// there so that what it prints (rule, protected path) is what the proxy decided, not a guess.
import type { Stream } from "node:stream";

/** The fields of the proxy's decision record that the demo shows. */
export interface ProxyDecision {
  requestId: string;
  method: string;
  toolName?: string;
  decision: "allow" | "deny" | "hitl";
  outcome: "forwarded" | "denied";
  reason: string;
  finalRule: string;
  matchedRules: string[];
}

// In the JSON tail the inner quotes of a message are escaped, so the last unescaped occurrence
// of this marker is where the fields begin, whatever the message text contains.
const MARKER = ' {"event":"decision"';
const MAX_LINES = 10_000;

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Parses one stderr line; undefined when it is not a decision record. */
export function parseDecisionLine(line: string): ProxyDecision | undefined {
  const at = line.lastIndexOf(MARKER);
  if (at === -1) return undefined;
  let fields: unknown;
  try {
    fields = JSON.parse(line.slice(at + 1));
  } catch {
    return undefined;
  }
  if (!isRecord(fields)) return undefined;
  const { requestId, method, toolName, decision, outcome, reason, finalRule, matchedRules } = fields;
  if (typeof requestId !== "string" || typeof method !== "string" || typeof finalRule !== "string") return undefined;
  if (decision !== "allow" && decision !== "deny" && decision !== "hitl") return undefined;
  if (outcome !== "forwarded" && outcome !== "denied") return undefined;
  return {
    requestId,
    method,
    ...(typeof toolName === "string" ? { toolName } : {}),
    decision,
    outcome,
    reason: typeof reason === "string" ? reason : "",
    finalRule,
    matchedRules: Array.isArray(matchedRules) ? matchedRules.filter((r): r is string => typeof r === "string") : [],
  };
}

/** Collects the proxy's stderr: decision records by request id, and the last lines for errors. */
export class DecisionFeed {
  private readonly decisions = new Map<string, ProxyDecision>();
  private readonly waiters = new Map<string, (d: ProxyDecision) => void>();
  private readonly lines: string[] = [];
  private partial = "";

  constructor(stream: Stream | null) {
    stream?.on("data", (chunk: Buffer | string) => this.push(typeof chunk === "string" ? chunk : chunk.toString("utf8")));
  }

  private push(text: string): void {
    const parts = (this.partial + text).split("\n");
    this.partial = parts.pop() ?? "";
    for (const line of parts) this.addLine(line);
  }

  private addLine(line: string): void {
    this.lines.push(line);
    if (this.lines.length > MAX_LINES) this.lines.shift();
    const decision = parseDecisionLine(line);
    if (decision === undefined) return;
    this.decisions.set(decision.requestId, decision);
    this.waiters.get(decision.requestId)?.(decision);
  }

  /** The record of request `id`; waits up to `timeoutMs` since stderr may trail stdout. */
  async waitFor(id: string, timeoutMs: number): Promise<ProxyDecision | undefined> {
    const known = this.decisions.get(id);
    if (known !== undefined) return known;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters.delete(id);
        resolve(undefined);
      }, timeoutMs);
      this.waiters.set(id, (d) => {
        clearTimeout(timer);
        this.waiters.delete(id);
        resolve(d);
      });
    });
  }

  /** Everything the proxy wrote so far (the last 10,000 lines). */
  allLines(): string[] {
    return this.partial === "" ? [...this.lines] : [...this.lines, this.partial];
  }

  /** The last `n` lines the proxy wrote (for error reports). */
  tail(n: number): string[] {
    return this.allLines().slice(-n);
  }
}
