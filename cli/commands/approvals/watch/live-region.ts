// A block of lines at the bottom of the terminal, redrawn in place: the cursor goes back to the
// block's first line and each line is rewritten and cleared to its end, so a redraw does not
// flash the screen. Log lines are printed above the block and stay in the scrollback.
// Lines must not wrap (the cursor could not find its way back), so the caller fits them to
// `columns` and keeps the block shorter than the terminal.

export interface TerminalOut {
  write(text: string): unknown;
  readonly columns?: number;
  readonly rows?: number;
}

const CLEAR_LINE_END = "\u001b[K";
const CLEAR_BELOW = "\u001b[J";
const HIDE_CURSOR = "\u001b[?25l";
const SHOW_CURSOR = "\u001b[?25h";

export class LiveRegion {
  private height = 0;
  private lines: string[] = [];

  constructor(private readonly out: TerminalOut) {
    this.out.write(HIDE_CURSOR);
  }

  /** Usable width: one column less than the terminal, so no line ever wraps. */
  get columns(): number {
    return Math.max(20, (this.out.columns ?? 0) > 0 ? (this.out.columns ?? 80) - 1 : 79);
  }

  get rows(): number {
    return Math.max(5, (this.out.rows ?? 0) > 0 ? (this.out.rows ?? 24) : 24);
  }

  private toTop(): string {
    return this.height > 0 ? `\u001b[${this.height}A\r` : "\r";
  }

  /** Replaces the block's content. */
  render(lines: readonly string[]): void {
    this.lines = [...lines];
    const body = this.lines.map((line) => `${line}${CLEAR_LINE_END}\n`).join("");
    this.out.write(`${this.toTop()}${body}${CLEAR_BELOW}`);
    this.height = this.lines.length;
  }

  /** Prints a line above the block (it scrolls up with the terminal's history). */
  log(line: string): void {
    const body = this.lines.map((l) => `${l}${CLEAR_LINE_END}\n`).join("");
    this.out.write(`${this.toTop()}${CLEAR_BELOW}${line}${CLEAR_LINE_END}\n${body}`);
  }

  /** Leaves the last drawn block on screen and gives the cursor back. */
  close(): void {
    this.out.write(SHOW_CURSOR);
  }
}
