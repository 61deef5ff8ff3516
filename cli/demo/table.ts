// Renders the demo's rows as a plain-text table: one line with the call, the decision and the
// rule, then the call's result on an indented line of its own, cut to the terminal width.
import type { Style } from "../ui/index.ts";

export interface TableRow {
  ok: boolean;
  call: string;
  decision: string;
  why: string;
  result: string;
}

const HEADERS = { call: "CALL", decision: "DECISION", why: "RULE" };
const RESULT_INDENT = "      ↳ ";
const MIN_WIDTH = 60;

/** Pads or cuts `text` to `width` characters (code points), marking a cut with "…". */
export function fit(text: string, width: number): string {
  const chars = [...text];
  return chars.length <= width ? text.padEnd(width) : `${chars.slice(0, Math.max(0, width - 1)).join("")}…`;
}

function widest(rows: readonly TableRow[], key: "call" | "decision", cap: number): number {
  return Math.min(cap, Math.max(HEADERS[key].length, ...rows.map((r) => [...r[key]].length)));
}

/** The table's lines; `colour` paints the decision column; lines fit in `totalWidth`. */
export function renderTable(
  rows: readonly TableRow[],
  style: Style,
  colour: (decision: string, text: string) => string,
  totalWidth: number,
): string[] {
  const width = Math.max(MIN_WIDTH, totalWidth);
  const callW = widest(rows, "call", 56);
  const decisionW = widest(rows, "decision", 16);
  const whyW = Math.max(8, width - (4 + callW + 2 + decisionW + 2));
  const lines = [style.bold(`    ${HEADERS.call.padEnd(callW)}  ${HEADERS.decision.padEnd(decisionW)}  ${HEADERS.why}`)];
  for (const row of rows) {
    const mark = row.ok ? style.green("✓") : style.red("✗");
    const decision = colour(row.decision, fit(row.decision, decisionW));
    lines.push(`  ${mark} ${fit(row.call, callW)}  ${decision}  ${fit(row.why, whyW).trimEnd()}`);
    if (row.result !== "") lines.push(style.dim(`${RESULT_INDENT}${fit(row.result, width - [...RESULT_INDENT].length).trimEnd()}`));
  }
  return lines;
}
