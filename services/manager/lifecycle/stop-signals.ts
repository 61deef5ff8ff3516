// SIGTERM and SIGINT (and SIGHUP, a closed terminal) ask the manager for its orderly shutdown
// instead of Bun's default of dying on the spot, which would leave the socket, PID and lock
// files behind.

export type StopSignal = "SIGTERM" | "SIGINT" | "SIGHUP";

const SIGNALS: readonly StopSignal[] = ["SIGTERM", "SIGINT", "SIGHUP"];

/** Calls onStop once per signal received; returns a function that removes the handlers. */
export function onStopSignals(onStop: (signal: StopSignal) => void): () => void {
  const handlers = SIGNALS.map((signal) => {
    const handler = () => onStop(signal);
    process.on(signal, handler);
    return [signal, handler] as const;
  });
  return () => {
    for (const [signal, handler] of handlers) process.off(signal, handler);
  };
}
