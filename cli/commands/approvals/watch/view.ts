// The interactive watch screen as lines: a status header, the key legend, then each approval
// that can be decided now (oldest first) with its countdown and arguments preview. Lines are
// cut to the terminal width and the list to its height.
import { printable } from "../../policy/describe-rule.ts";
import type { Style } from "../../../ui/index.ts";
import { approvalTarget, argumentsText, cacheText, expiresText, sideEffectName } from "../format.ts";
import type { BoardItem } from "./board.ts";
import { FeedState } from "./feed.ts";

export interface ViewInput {
  items: readonly BoardItem[];
  states: readonly { proxy: string; state: FeedState; detail: string }[];
  selectedId: string | null;
  /** A short message after the last key (e.g. "allowing…"), or "". */
  status: string;
  nowMs: number;
  columns: number;
  rows: number;
  style: Style;
}

const LEGEND = "a allow once · A allow and cache · d deny · j/k or ↑/↓ select · q quit";
const LINES_PER_ITEM = 3;

/** Cuts text to `width` code points, marking a cut with "…". */
export function cut(text: string, width: number): string {
  const chars = [...text];
  return chars.length <= width ? text : `${chars.slice(0, Math.max(0, width - 1)).join("")}…`;
}

const STATE_WORDS: Record<FeedState, string> = {
  [FeedState.Starting]: "connecting",
  [FeedState.Connected]: "watching",
  [FeedState.NotRunning]: "not running, retrying every 1 s",
  [FeedState.Lost]: "connection lost, retrying every 1 s",
  [FeedState.Unsupported]: "no WatchApprovals in its version, retrying every 1 s",
};

function itemLines(item: BoardItem, selected: boolean, input: ViewInput): string[] {
  const { approval, proxy } = item;
  const { style, columns } = input;
  const target = approvalTarget(approval);
  const expires = expiresText(approval, input.nowMs);
  const head = `${selected ? "▶" : " "} ${printable(proxy)} · ${printable(approval.toolName)}${target === "" ? "" : `  ${target}`}`;
  const tail = expires === "" ? "" : `  ${expires}`;
  const headLine = cut(head, Math.max(10, columns - [...tail].length)) + tail;
  // Short facts first: the rule's reason is free text and the first thing to be cut.
  const facts = [
    approval.id,
    printable(approval.subjectId),
    ...(approval.sideEffects.length > 0 ? [approval.sideEffects.map(sideEffectName).join(",")] : []),
    cacheText(approval),
    `rule ${printable(approval.matchedRuleId)}${approval.reason === "" ? "" : `: ${printable(approval.reason)}`}`,
  ].join(" · ");
  const lines = [
    selected ? style.bold(headLine) : headLine,
    style.dim(cut(`    ${facts}`, columns)),
    cut(`    args ${argumentsText(approval)}`, columns),
  ];
  return lines;
}

export function watchScreen(input: ViewInput): string[] {
  const { style, columns } = input;
  const states = input.states.map(({ proxy, state }) => `${printable(proxy)}: ${STATE_WORDS[state]}`).join(" · ");
  const lines = [style.bold(cut(`Approvals — ${states}`, columns)), style.dim(cut(LEGEND, columns)), ""];
  if (input.items.length === 0) {
    lines.push(cut("No pending approvals. Waiting for requests that need one…", columns));
  } else {
    // Room for the header (3), a "more" line, the status (2), and one spare row so the block
    // never fills the whole screen (the cursor could not get back to its top).
    const fit = Math.max(1, Math.floor((input.rows - 7) / LINES_PER_ITEM));
    const selectedIndex = Math.max(0, input.items.findIndex((i) => i.approval.id === input.selectedId));
    const first = Math.min(Math.max(0, selectedIndex - fit + 1), Math.max(0, input.items.length - fit));
    const shown = input.items.slice(first, first + fit);
    for (const item of shown) lines.push(...itemLines(item, item.approval.id === input.selectedId, input));
    const hidden = input.items.length - shown.length;
    if (hidden > 0) lines.push(style.dim(cut(`… ${hidden} more (j/k to scroll)`, columns)));
  }
  lines.push("");
  lines.push(cut(input.status, columns));
  return lines;
}
