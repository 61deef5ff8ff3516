// Terminal styling. Colour only when the stream is a terminal, NO_COLOR is unset/empty
// (no-color.org) and TERM is not "dumb", so piped output and logs stay plain text.

export interface StyleTarget {
  isTTY?: boolean;
}

export function colorEnabled(
  stream: StyleTarget,
  env: Record<string, string | undefined> = process.env,
): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.TERM === "dumb") return false;
  return stream.isTTY === true;
}

export interface Style {
  green(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

const wrap =
  (enabled: boolean, open: number, close: number) =>
  (text: string): string =>
    enabled ? `\u001B[${open}m${text}\u001B[${close}m` : text;

export function createStyle(enabled: boolean): Style {
  return {
    green: wrap(enabled, 32, 39),
    red: wrap(enabled, 31, 39),
    yellow: wrap(enabled, 33, 39),
    dim: wrap(enabled, 2, 22),
    bold: wrap(enabled, 1, 22),
  };
}

// citty renders help with ANSI codes whenever NO_COLOR is not exactly "1"; strip them when the
// destination should be plain.
const ANSI_SGR = /\u001B\[[0-9;]*m/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI_SGR, "");
}
