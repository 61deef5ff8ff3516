// Whether a configured proxy runs, for operations that must not race its writer (delete, offline
// repair). Attached proxies are running; so is one whose control socket answers or whose audit
// writer lock a live process holds (a headless proxy is never attached).
import { controlSocketPath } from "../../../../lib/paths/index.ts";
import { isSocketLive } from "../../../../lib/rpc/index.ts";
import type { ManagerApiDeps } from "../deps.ts";
import { findAttached } from "./attached.ts";
import { writerLockHolder } from "../../../../lib/audit/index.ts";

const SOCKET_PROBE_MS = 500;

/** Why the proxy counts as running, or null when it does not. */
export async function runningReason(deps: ManagerApiDeps, name: string, logDir: string | undefined): Promise<string | null> {
  const attached = findAttached(deps, name);
  if (attached !== undefined) return `it is attached to the manager (pid ${attached.pid})`;
  const socket = controlSocketPath(deps.paths, name);
  if (await isSocketLive(socket, SOCKET_PROBE_MS)) return `its control socket ${socket} answers`;
  const holder = logDir === undefined ? null : writerLockHolder(logDir);
  if (holder !== null) return `process ${holder} holds its audit writer lock`;
  return null;
}
