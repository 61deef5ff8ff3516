// A Connect client of the manager's token-less API socket (api.sock): the CLI's way to ask the
// running manager (file permissions on the 0700 runtime dir are the guard, not a token).
import * as http from "node:http";
import type { DescService } from "@bufbuild/protobuf";
import { ConnectError, createClient, type Client } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { failure } from "../../errors.ts";

/** Deadline of one API call from the CLI. */
export const API_CALL_TIMEOUT_MS = 5000;

export function managerApiClient<S extends DescService>(service: S, socketPath: string): Client<S> {
  // HTTP/1.1 without keep-alive: nothing stays open once the call is answered, so the CLI exits.
  const agent = new http.Agent({ keepAlive: false });
  const transport = createConnectTransport({
    baseUrl: "http://localhost",
    httpVersion: "1.1",
    nodeOptions: { socketPath, agent },
  });
  return createClient(service, transport);
}

/** A failed API call as a CLI error naming the socket. */
export function apiCallFailure(error: unknown, what: string, socketPath: string): Error {
  const reason = error instanceof ConnectError ? error.rawMessage : error instanceof Error ? error.message : String(error);
  return failure(`Could not ${what} from the manager's API socket ${socketPath}: ${reason}`, "Check 'mcp-acp manager status'; restart the manager if it does not answer.");
}
