import { existsSync } from "node:fs";
import { ManagerLink, type HealthResponse } from "../gen/mcpacp/link/v1/link_pb.ts";
import { createGrpcClient } from "../rpc/index.ts";

/** Spec manager.md §13: how long a socket may take to answer before it counts as dead. */
export const PROBE_TIMEOUT_MS = 1000;

/**
 * Asks the manager on `socketPath` for its Health. Null when nothing answers in time (no socket,
 * stale socket, a manager shutting down). Never throws.
 */
export async function probeManager(socketPath: string, timeoutMs: number = PROBE_TIMEOUT_MS): Promise<HealthResponse | null> {
  if (!existsSync(socketPath)) return null;
  let client;
  try {
    client = createGrpcClient(ManagerLink, socketPath);
    return await client.health({}, { timeoutMs });
  } catch {
    return null;
  } finally {
    client?.close();
  }
}
