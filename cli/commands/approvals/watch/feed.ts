// One proxy's WatchApprovals stream, kept open for as long as the watch runs: while the proxy is
// not running (or restarts) it is retried every second, and each change of connection state is
// reported once. The open stream is what makes the proxy count a human approver as reachable.
import type { ApprovalExpiry, ApprovalResolution, Approver, PendingApproval } from "../../../../lib/gen/mcpacp/common/v1/approval_pb.ts";
import type { AppPaths } from "../../../../lib/paths/index.ts";
import { errorText, isUnimplemented, openProxyConnection, probeProxy } from "../../../control-client.ts";

export const WATCH_RETRY_MS = 1000;

/** Where a proxy's feed stands. */
export enum FeedState {
  /** Not tried yet. */
  Starting = "starting",
  /** The stream is open; the approvals are current. */
  Connected = "connected",
  /** Nothing answers on the proxy's socket. */
  NotRunning = "not_running",
  /** The stream broke or ended (proxy stopping or restarting). */
  Lost = "lost",
  /** The proxy runs a version without WatchApprovals. */
  Unsupported = "unsupported",
}

export type FeedEvent =
  | { kind: "state"; proxy: string; state: FeedState; detail: string }
  /** The stream (re)opened: every approval pending right now. */
  | { kind: "current"; proxy: string; approvals: PendingApproval[] }
  | { kind: "created"; proxy: string; approval: PendingApproval }
  | { kind: "resolved"; proxy: string; resolution: ApprovalResolution }
  | { kind: "expired" | "cancelled"; proxy: string; expiry: ApprovalExpiry };

export interface FeedOptions {
  paths: AppPaths;
  proxy: string;
  watcher: Approver;
  signal: AbortSignal;
  onEvent: (event: FeedEvent) => void;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}

/** Streams one session; returns why it ended (the caller retries). */
async function streamOnce(options: FeedOptions, announce: (state: FeedState, detail: string) => void): Promise<{ state: FeedState; detail: string }> {
  const { proxy, onEvent, signal } = options;
  const connection = openProxyConnection(options.paths, proxy);
  try {
    for await (const message of connection.client.watchApprovals({ watcher: options.watcher }, { signal })) {
      const update = message.update;
      switch (update.case) {
        case "current":
          // The list first: once the state says connected, the approvals are there.
          onEvent({ kind: "current", proxy, approvals: update.value.approvals });
          announce(FeedState.Connected, "");
          break;
        case "created":
          onEvent({ kind: "created", proxy, approval: update.value });
          break;
        case "resolved":
          onEvent({ kind: "resolved", proxy, resolution: update.value });
          break;
        case "expired":
        case "cancelled":
          onEvent({ kind: update.case, proxy, expiry: update.value });
          break;
        default:
          break; // an update kind newer than this CLI: nothing to show
      }
    }
    return { state: FeedState.Lost, detail: "the proxy ended the stream" };
  } catch (error) {
    if (isUnimplemented(error)) return { state: FeedState.Unsupported, detail: errorText(error) };
    return { state: FeedState.Lost, detail: errorText(error) };
  } finally {
    connection.close();
  }
}

/** Runs until `signal` fires; never throws. */
export async function runFeed(options: FeedOptions): Promise<void> {
  const { proxy, signal, onEvent } = options;
  // Widened: announce() changes it from inside a closure, which narrowing cannot see.
  let current = FeedState.Starting as FeedState;
  const announce = (state: FeedState, detail: string): void => {
    if (state === current) return;
    current = state;
    onEvent({ kind: "state", proxy, state, detail });
  };
  while (!signal.aborted) {
    if (!(await probeProxy(options.paths, proxy))) {
      // A lost stream followed by a dead socket is still "lost": the proxy went away.
      if (current !== FeedState.Lost) announce(FeedState.NotRunning, "");
      await sleep(WATCH_RETRY_MS, signal);
      continue;
    }
    const ended = await streamOnce(options, announce);
    if (signal.aborted) break;
    announce(ended.state, ended.detail);
    await sleep(WATCH_RETRY_MS, signal);
  }
}
