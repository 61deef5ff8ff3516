// The two ends the relay connects. Both are shaped like the SDK's `Transport`, so SDK transports
// (InMemoryTransport, StdioServerTransport, StreamableHTTPClientTransport…) fit where they can;
// the extra callbacks carry what the SDK interface cannot express: input that was refused, a
// backend process that exited (with its status) and per-request backend failures.
import type { InputProblem } from "./decode.ts";
import type { ClientBoundMessage, JSONRPCMessage, RequestId } from "./jsonrpc.ts";

/** The MCP client side (our own stdin/stdout in production). */
export interface ClientTransport {
  start(): Promise<void>;
  send(message: ClientBoundMessage): Promise<void>;
  close(): Promise<void>;
  onmessage?: ((message: JSONRPCMessage) => void) | undefined;
  onclose?: (() => void) | undefined;
  onerror?: ((error: Error) => void) | undefined;
  /** Input that is not a JSON-RPC message (bad JSON, bad envelope, over the size cap). */
  oninvalid?: ((problem: InputProblem) => void) | undefined;
}

export interface BackendExit {
  code: number | null;
  signal: string | null;
}

/** The backend MCP server side: a spawned process or a streamable-HTTP endpoint. */
export interface RelayBackend {
  readonly kind: "stdio" | "streamablehttp";
  /** What the backend is, for messages: the command line or the URL (never credentials). */
  readonly target: string;
  start(): Promise<void>;
  /** Rejects when the message could not be delivered (the relay answers the request). */
  send(message: JSONRPCMessage): Promise<void>;
  /** Graceful stop; resolves when the backend is gone (child reaped, session ended). */
  close(): Promise<void>;
  /** Told the negotiated protocol revision (HTTP needs it for the MCP-Protocol-Version header). */
  setProtocolVersion?: ((version: string) => void) | undefined;
  onmessage?: ((message: JSONRPCMessage) => void) | undefined;
  onclose?: (() => void) | undefined;
  onerror?: ((error: Error) => void) | undefined;
  oninvalid?: ((problem: InputProblem) => void) | undefined;
  /** The backend ended on its own (a process exit); fired once, before onclose. */
  onexit?: ((exit: BackendExit) => void) | undefined;
  /** Requests that will get no answer (e.g. HTTP timeout after the POST was sent). */
  onrequestfailed?: ((ids: readonly RequestId[], error: Error) => void) | undefined;
}

export function describeExit(exit: BackendExit): string {
  if (exit.signal !== null) return `killed by signal ${exit.signal}`;
  if (exit.code !== null) return `exit code ${exit.code}`;
  return "connection closed";
}
