// What the relay reports to its owner: machine-readable events while running, and one outcome
// when it ends (so the `start` command can pick the exit code).
import type { InputProblem } from "./decode.ts";
import type { RequestId } from "./jsonrpc.ts";
import type { BackendExit } from "./transports.ts";

export type RelayEvent =
  | { type: "client_message_rejected"; problem: InputProblem }
  | { type: "backend_message_rejected"; problem: InputProblem }
  | { type: "backend_request_failed"; id: RequestId; method: string; error: Error }
  | { type: "backend_exited"; exit: BackendExit; inFlight: number }
  | { type: "hook_failed"; stage: "request" | "response"; id: RequestId; method: string; error: Error }
  | { type: "response_dropped"; id: RequestId | null; reason: "unknown_id" | "no_id" };

export type RelayOutcome =
  /** The MCP client closed our stdin: a normal end. */
  | { kind: "client_closed" }
  /** stop() was called (signal, fail-closed shutdown…). */
  | { kind: "stopped"; reason: string }
  /** The backend process died or its connection closed while the relay was serving. */
  | { kind: "backend_exited"; exit: BackendExit; message: string }
  /** start() failed (the backend could not be spawned or reached); nothing is running. */
  | { kind: "start_failed"; error: Error };

/** Whether the owner should exit non-zero. */
export function isFailedOutcome(outcome: RelayOutcome): boolean {
  return outcome.kind === "backend_exited" || outcome.kind === "start_failed";
}
