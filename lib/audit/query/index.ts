// lib/audit/query: reading a proxy's logs newest first (spec audit.md §11), for `mcp-acp logs`,
// the manager's LogService and the incident listing. Pure over file contents, plus small readers
// that never load a whole file.

export { BACKWARD_CHUNK_BYTES, DEFAULT_INCIDENT_LIMIT, DEFAULT_LOG_LIMIT, INCIDENT_FETCH_MULTIPLIER, MAX_LIMIT, MIN_LIMIT, READ_WINDOW_BYTES, SCAN_CAP_LINES } from "./constants.ts";
export { LogQueryError, LogQueryErrorCode, type LogQueryErrorOptions } from "./errors.ts";
export { FILTER_NAMES, describeFilters, matchesLogFilters, normalizeLogFilters, type LogFilterInput, type LogFilters } from "./filters.ts";
export { LOG_TYPES, LOG_TYPE_NAMES, isLogAvailable, logTypeInfo, parseLogType, type FilterName, type LogFolderName, type LogType, type LogTypeInfo } from "./log-types.ts";
export { TIME_RANGES, TIME_RANGE_SECONDS, parseTimeRange, timeRangeStart, type TimeRange } from "./time-range.ts";
export { decodeLogCursor, encodeLogCursor, isLogCursor, type LogCursor } from "./cursor.ts";
export { BackwardLineReader, readLineAt, scanLinesBackward, type BackwardLine, type BackwardLineVisitor } from "./backward-reader.ts";
export { validateLimit } from "./limits.ts";
export { queryLog, queryLogFile, type LogEntry, type LogPage, type LogQueryOptions } from "./query.ts";
export { countLogLines, logFileStats, type LogFileStats } from "./file-stats.ts";
export { BACKUP_NAME_PATTERN, backupFileName, backupStamp, listLogBackups, logStem, parseBackupFileName, type BackupName, type LogBackup } from "./backups.ts";
export { historyVersions, readLogMetadata, type LogFileInfo, type LogFolder, type LogMetadata, type LogMetadataOptions } from "./metadata.ts";
export { RECENT_SCAN_CAP_LINES, scanRecentRecords, type RecentRecordVisitor, type RecentScan, type RecentScanOptions } from "./activity-scan.ts";
export { EMPTY_LATENCY_STATS, activityLatency, type LatencyStats } from "./activity-latency.ts";
export {
  ACTIVITY_DEFAULT_BUCKET_SECONDS,
  ACTIVITY_DEFAULT_PERIOD_SECONDS,
  ACTIVITY_MAX_BUCKETS,
  ACTIVITY_MAX_BUCKET_SECONDS,
  ACTIVITY_MIN_BUCKET_SECONDS,
  activityWindow,
  readActivity,
  type ActivityBucketData,
  type ActivityOptions,
  type ActivityReport,
  type ActivityWindow,
} from "./activity.ts";
export { BUILT_IN_FINAL_RULES, RULE_HITS_PERIOD_MS, readRuleHits, type RuleHitCount, type RuleHitsKindName, type RuleHitsOptions, type RuleHitsReport } from "./rule-hits.ts";
