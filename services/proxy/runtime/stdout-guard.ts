// stdout is the MCP JSON-RPC stream: one stray byte breaks the client. The relay and our own
// code never print there, but a dependency calling console.log would, so while the proxy runs
// the console's stdout methods write to stderr instead.

type ConsoleMethod = "log" | "info" | "debug" | "dir" | "table";
const STDOUT_METHODS: readonly ConsoleMethod[] = ["log", "info", "debug", "dir", "table"];

/** Redirects console output meant for stdout to stderr; returns the undo function. */
export function guardStdout(): () => void {
  const saved = STDOUT_METHODS.map((method) => [method, console[method]] as const);
  const toStderr = (...args: unknown[]): void => console.error(...args);
  for (const method of STDOUT_METHODS) console[method] = toStderr;
  return () => {
    for (const [method, original] of saved) console[method] = original;
  };
}
