// Raw terminal input → watch commands. In raw mode Ctrl-C and Ctrl-D arrive as bytes, not as
// a signal or an end of input, so they are read as "quit" here.
export type WatchKey = "allow" | "allow_cache" | "deny" | "next" | "previous" | "quit";

const SEQUENCES: readonly [text: string, key: WatchKey][] = [
  ["\u001b[A", "previous"],
  ["\u001bOA", "previous"],
  ["\u001b[B", "next"],
  ["\u001bOB", "next"],
];

const SINGLE: Readonly<Record<string, WatchKey>> = {
  a: "allow",
  A: "allow_cache",
  d: "deny",
  j: "next",
  k: "previous",
  q: "quit",
  "\u0003": "quit", // Ctrl-C
  "\u0004": "quit", // Ctrl-D
};

/** The keys in one chunk of input, in order; anything else (other escapes, letters) is skipped. */
export function parseKeys(input: string): WatchKey[] {
  const keys: WatchKey[] = [];
  let i = 0;
  while (i < input.length) {
    const sequence = SEQUENCES.find(([text]) => input.startsWith(text, i));
    if (sequence !== undefined) {
      keys.push(sequence[1]);
      i += sequence[0].length;
      continue;
    }
    const ch = input[i] ?? "";
    if (ch === "\u001b") {
      // An escape sequence this watcher does not use: skip it whole (ESC [ params final).
      const match = /^\u001b(?:\[[0-9;?]*[\x40-\x7e]|O.)?/.exec(input.slice(i));
      i += match?.[0].length ?? 1;
      continue;
    }
    const key = SINGLE[ch];
    if (key !== undefined) keys.push(key);
    i += 1;
  }
  return keys;
}
