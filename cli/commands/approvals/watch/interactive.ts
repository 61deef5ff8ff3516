// `approvals watch` in a terminal: the pending approvals with live countdowns (redrawn once a
// second), one selected (the oldest by default), decided with a single key. Decisions and
// endings are logged above the list, so the scrollback keeps a record of what happened.
import type { ApprovalResolution, Approver } from "../../../../lib/gen/mcpacp/common/v1/approval_pb.ts";
import { ApprovalAction, ApprovalOutcome } from "../../../../lib/gen/mcpacp/common/v1/approval_pb.ts";
import type { AppPaths } from "../../../../lib/paths/index.ts";
import { errorText, openProxyConnection } from "../../../control-client.ts";
import { CliError } from "../../../errors.ts";
import { colorEnabled, createStyle, type Style } from "../../../ui/index.ts";
import { approverText, outcomeText } from "../format.ts";
import { requestText, sendDecision, type DecisionAction } from "../resolve.ts";
import { controlRoute } from "../routes.ts";
import { ApprovalBoard, type BoardChange, type BoardItem } from "./board.ts";
import { runFeed } from "./feed.ts";
import { stateNotice } from "./json-lines.ts";
import { parseKeys, type WatchKey } from "./keys.ts";
import { LiveRegion } from "./live-region.ts";
import { watchScreen } from "./view.ts";

const REDRAW_MS = 1000;

const ACTIONS: Partial<Record<WatchKey, { action: DecisionAction; doing: string }>> = {
  allow: { action: ApprovalAction.ALLOW_ONCE, doing: "Allowing" },
  allow_cache: { action: ApprovalAction.ALLOW_AND_CACHE, doing: "Allowing and caching" },
  deny: { action: ApprovalAction.DENY, doing: "Denying" },
};

export interface InteractiveWatchOptions {
  paths: AppPaths;
  names: readonly string[];
  /** Who watches (sent with the stream) and who decides (sent with each decision). */
  watcher: Approver;
  decider: Approver;
  /** Fires to quit; a quit key fires it too. */
  stop: AbortController;
}

function resolutionLine(style: Style, resolution: ApprovalResolution, what: string): string {
  const allowed = resolution.outcome === ApprovalOutcome.ALLOWED_ONCE || resolution.outcome === ApprovalOutcome.ALLOWED_AND_CACHED;
  const mark = allowed ? style.green("✓") : style.red("✗");
  const notCached = resolution.action === ApprovalAction.ALLOW_AND_CACHE && resolution.outcome === ApprovalOutcome.ALLOWED_ONCE ? " (not cacheable)" : "";
  return `${mark} ${outcomeText(resolution.outcome)}${notCached} by ${approverText(resolution.approver)}: ${what}`;
}

/** The log line for a change, or null when it only changes the list. */
function changeLogLine(style: Style, change: BoardChange): string | null {
  const what = (id: string): string => (change.kind !== "state" && change.approval !== undefined ? `${requestText(change.proxy, change.approval)} (${id})` : `approval ${id} on proxy '${change.proxy}'`);
  switch (change.kind) {
    case "state":
      return style.dim(stateNotice(change.proxy, change.state, change.detail));
    case "pending":
      return null;
    case "resolved":
      return resolutionLine(style, change.resolution, what(change.resolution.approvalId));
    case "expired":
    case "cancelled":
      return `${style.yellow("•")} ${outcomeText(change.expiry.outcome)}${change.expiry.reason === "" ? "" : ` (${change.expiry.reason})`}: ${what(change.expiry.approvalId)}`;
    case "gone":
      return `${style.yellow("•")} ended while the watcher was disconnected: ${what(change.approvalId)}`;
  }
}

export async function runInteractiveWatch(options: InteractiveWatchOptions): Promise<void> {
  const { stop } = options;
  const style = createStyle(colorEnabled(process.stdout));
  const region = new LiveRegion(process.stdout);
  const board = new ApprovalBoard(options.names);
  let selectedId: string | null = null;
  let status = "";
  let reading = false;
  let queue: Promise<void> = Promise.resolve();

  const items = (): BoardItem[] => board.actionable();
  const redraw = (): void => {
    const list = items();
    if (!list.some((i) => i.approval.id === selectedId)) selectedId = list[0]?.approval.id ?? null;
    region.render(
      watchScreen({ items: list, states: board.states(), selectedId, status, nowMs: Date.now(), columns: region.columns, rows: region.rows, style }),
    );
  };

  const decide = async (key: WatchKey): Promise<void> => {
    const chosen = ACTIONS[key];
    const item = items().find((i) => i.approval.id === selectedId);
    if (chosen === undefined) return;
    if (item === undefined) {
      status = "Nothing to decide: no approval is pending.";
      return;
    }
    status = `${chosen.doing} ${requestText(item.proxy, item.approval)}…`;
    redraw();
    const route = controlRoute(openProxyConnection(options.paths, item.proxy));
    try {
      // Success is logged when the proxy reports the resolution on the stream.
      await sendDecision(route, item.approval, chosen.action, options.decider);
    } catch (error) {
      const hint = error instanceof CliError && error.hint !== undefined && error.hint !== "" ? ` ${error.hint}` : "";
      region.log(`${style.red("✗")} ${errorText(error)}${hint}`);
    } finally {
      route.close();
    }
    status = "";
  };

  const handleKey = async (key: WatchKey): Promise<void> => {
    if (stop.signal.aborted) return;
    if (key === "quit") {
      stop.abort();
      return;
    }
    if (key === "next" || key === "previous") {
      const list = items();
      const at = list.findIndex((i) => i.approval.id === selectedId);
      const next = Math.min(list.length - 1, Math.max(0, at + (key === "next" ? 1 : -1)));
      selectedId = list[next]?.approval.id ?? null;
    } else {
      await decide(key);
    }
    redraw();
  };

  const onData = (chunk: Buffer | string): void => {
    for (const key of parseKeys(chunk.toString())) queue = queue.then(() => handleKey(key));
  };
  // Keys are read once every proxy was tried, so a key typed early acts on the listed approvals.
  const startReading = (): void => {
    if (reading) return;
    reading = true;
    process.stdin.setRawMode(true);
    process.stdin.on("data", onData);
    process.stdin.resume();
  };

  const feeds = options.names.map((proxy) =>
    runFeed({
      paths: options.paths,
      proxy,
      watcher: options.watcher,
      signal: stop.signal,
      onEvent: (event) => {
        for (const change of board.apply(event)) {
          const line = changeLogLine(style, change);
          if (line !== null) region.log(line);
        }
        redraw();
        if (board.settled()) startReading();
      },
    }),
  );
  redraw();
  const ticker = setInterval(redraw, REDRAW_MS);
  const onResize = (): void => redraw();
  process.stdout.on("resize", onResize);
  try {
    await new Promise<void>((resolve) => {
      if (stop.signal.aborted) resolve();
      else stop.signal.addEventListener("abort", () => resolve(), { once: true });
    });
    await queue;
    await Promise.all(feeds);
  } finally {
    clearInterval(ticker);
    process.stdout.removeListener("resize", onResize);
    if (reading) {
      process.stdin.removeListener("data", onData);
      process.stdin.setRawMode(false);
      process.stdin.pause();
    }
    status = "Stopped watching.";
    redraw();
    region.close();
  }
}
