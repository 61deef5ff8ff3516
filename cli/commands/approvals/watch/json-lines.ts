// `approvals watch` without a terminal: one JSON line on stdout per pending approval and per
// ending (resolved, expired, cancelled, or gone while the watcher was disconnected), for scripts.
// Connection notices go to stderr as plain text, so stdout stays pure JSON lines.
import type { JsonObject } from "@bufbuild/protobuf";
import { startCommand } from "../../../control-client.ts";
import { printErrorLine, printLine, stderrStyle } from "../../../ui/index.ts";
import { approvalJson, expiryJson, resolutionJson } from "../format.ts";
import type { BoardChange } from "./board.ts";
import { FeedState } from "./feed.ts";

/** The JSON line for a change, or null for a connection change (reported on stderr). */
export function changeJson(change: BoardChange): JsonObject | null {
  switch (change.kind) {
    case "state":
      return null;
    case "pending":
      return { event: "pending", proxy: change.proxy, approval: approvalJson(change.approval, change.proxy) };
    case "resolved":
      return { event: "resolved", proxy: change.proxy, resolution: resolutionJson(change.resolution) };
    case "expired":
    case "cancelled":
      return { event: change.kind, proxy: change.proxy, expiry: expiryJson(change.expiry) };
    case "gone":
      return { event: "gone", proxy: change.proxy, approval_id: change.approvalId };
  }
}

/** What to tell the user when a proxy's connection changes. */
export function stateNotice(proxy: string, state: FeedState, detail: string): string {
  switch (state) {
    case FeedState.Connected:
      return `Watching proxy '${proxy}' for approvals (Ctrl-C to stop).`;
    case FeedState.NotRunning:
      return `Proxy '${proxy}' is not running; waiting for it, retrying every 1 s (start it with: ${startCommand(proxy)}).`;
    case FeedState.Lost:
      return `Lost the connection to proxy '${proxy}' (${detail}); retrying every 1 s.`;
    case FeedState.Unsupported:
      return `Proxy '${proxy}' does not offer WatchApprovals on its control socket (the mcp-acp version it runs lacks it); retrying every 1 s in case it restarts with this version.`;
    case FeedState.Starting:
      return `Connecting to proxy '${proxy}'.`;
  }
}

export function printChangeLine(change: BoardChange): void {
  if (change.kind === "state") {
    printErrorLine(stderrStyle().dim(stateNotice(change.proxy, change.state, change.detail)));
    return;
  }
  const json = changeJson(change);
  if (json !== null) printLine(JSON.stringify(json));
}
