// Public API of the proxy's stats: the persisted latency windows and their summaries, and the
// ProxyStats mapping. Request counters live in enforcement (DecisionCounters).
export { StatsError, StatsErrorCode } from "./errors.ts";
export { EMPTY_LATENCY_SUMMARY, type LatencySummary, quantile, summarizeLatency } from "./latency-summary.ts";
export { LatencyRing } from "./latency-ring.ts";
export {
  DEFAULT_FLUSH_BATCH_SIZE,
  DEFAULT_FLUSH_INTERVAL_MS,
  LATENCY_METRICS,
  LATENCY_SCHEMA_KEY,
  LATENCY_SCHEMA_VERSION,
  LATENCY_WINDOW,
  type LatencyMetric,
  LatencyStore,
  type LatencyStoreOptions,
  type LatencySummaries,
  STATE_DB_FILE_MODE,
} from "./latency-store.ts";
export { latencySummaryMessage, proxyStatsMessage } from "./proto.ts";
