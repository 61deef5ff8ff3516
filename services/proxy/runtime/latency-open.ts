// The latency windows live in the proxy's state.db next to the audit integrity state (own table,
// own connection). Latency is statistics, not security: when the database cannot hold them the
// proxy runs on and says so, instead of refusing to start.
import { integrityStatePath } from "../../../lib/audit/index.ts";
import type { ProxyLogger } from "../relay/log.ts";
import { LatencyStore } from "../stats/latency-store.ts";

export function openLatencyStore(logDir: string, logger: ProxyLogger): LatencyStore | null {
  const path = integrityStatePath(logDir);
  try {
    return LatencyStore.open(path, {
      onError: (error) => logger.warn(`Latency samples could not be saved (they are kept in memory and retried): ${error.message}`, { event: "latency_store_failed" }),
    });
  } catch (error) {
    logger.warn(
      `Latency statistics are not kept in this run: ${error instanceof Error ? error.message : String(error)}. Request counters still work; fix or move ${path} and restart the proxy to keep latency windows.`,
      { event: "latency_store_unavailable" },
    );
    return null;
  }
}

/** Writes what is buffered and closes; a failure is logged (the samples of this run are lost). */
export function closeLatencyStore(store: LatencyStore | null, logger: ProxyLogger): void {
  if (store === null) return;
  try {
    store.close();
  } catch (error) {
    logger.warn(`Closing the latency store failed; the last samples were not saved: ${error instanceof Error ? error.message : String(error)}`);
  }
}
