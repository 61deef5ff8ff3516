// A proxy's activity over a recent period in fixed buckets, for the dashboard's charts: decisions
// by effect from audit/decisions.jsonl, and latency summaries (policy evaluation and human wait
// from the decisions, whole-request duration from audit/operations.jsonl). Reads files only, so it
// works for stopped proxies and while a running one appends. Every bucket of the period is returned,
// empty ones as zeros, so a chart has a continuous time axis. Discovery requests pass without a
// policy check and are left out, so the counts agree with the live ProxyStats.

import { classifyMethod, FINAL_RULE_DISCOVERY } from "../../policy/index.ts";
import { logFilePath } from "../files.ts";
import { activityLatency, type LatencyStats } from "./activity-latency.ts";
import { scanRecentRecords } from "./activity-scan.ts";
import { invalidArgument } from "./errors.ts";
import { logTypeInfo } from "./log-types.ts";

export const ACTIVITY_DEFAULT_PERIOD_SECONDS = 3600;
export const ACTIVITY_DEFAULT_BUCKET_SECONDS = 60;
export const ACTIVITY_MIN_BUCKET_SECONDS = 10;
export const ACTIVITY_MAX_BUCKET_SECONDS = 3600;
/** A day of minutes: more points than any chart can show. */
export const ACTIVITY_MAX_BUCKETS = 1440;

export interface ActivityOptions {
  /** Start of the period; default one hour before `now`. */
  since?: Date;
  /** 10..3600; undefined or 0 = 60. */
  bucketSeconds?: number;
  /** End of the period (the clock, for tests). */
  now?: Date;
  /** Lines looked at per file (tests). */
  scanCap?: number;
}

export interface ActivityWindow {
  /** Start of the first bucket: `since` rounded down to a multiple of the bucket length. */
  firstStartMs: number;
  untilMs: number;
  bucketSeconds: number;
  bucketCount: number;
}

export interface ActivityBucketData {
  startMs: number;
  allowed: number;
  denied: number;
  hitl: number;
  /** operations.jsonl duration_ms: the whole request, backend and human wait included. */
  requestDuration: LatencyStats;
  policyEval: LatencyStats;
  /** policy_hitl_ms of HITL decisions (0 for a cached approval). */
  hitlWait: LatencyStats;
}

export interface ActivityReport {
  buckets: ActivityBucketData[];
  bucketSeconds: number;
  untilMs: number;
  /** Lines read from both logs. */
  scanned: number;
  /** A log had more lines in the period than the scan cap: the oldest buckets may be incomplete. */
  truncated: boolean;
}

/** Checks the arguments and lays out the buckets; bad values are LogQueryError INVALID_ARGUMENT. */
export function activityWindow(options: ActivityOptions): ActivityWindow {
  const untilMs = (options.now ?? new Date()).getTime();
  const raw = options.bucketSeconds;
  const bucketSeconds = raw === undefined || raw === 0 ? ACTIVITY_DEFAULT_BUCKET_SECONDS : raw;
  if (!Number.isSafeInteger(bucketSeconds) || bucketSeconds < ACTIVITY_MIN_BUCKET_SECONDS || bucketSeconds > ACTIVITY_MAX_BUCKET_SECONDS) {
    throw invalidArgument("bucket_seconds", `Invalid bucket_seconds ${String(raw)}: must be a whole number from ${ACTIVITY_MIN_BUCKET_SECONDS} to ${ACTIVITY_MAX_BUCKET_SECONDS} (0 = ${ACTIVITY_DEFAULT_BUCKET_SECONDS}).`);
  }
  const sinceMs = options.since === undefined ? untilMs - ACTIVITY_DEFAULT_PERIOD_SECONDS * 1000 : options.since.getTime();
  if (!Number.isFinite(sinceMs) || sinceMs >= untilMs) {
    throw invalidArgument("since", `Invalid since ${Number.isFinite(sinceMs) ? new Date(sinceMs).toISOString() : "(not a time)"}: it must be before now (${new Date(untilMs).toISOString()}).`);
  }
  const bucketMs = bucketSeconds * 1000;
  const firstStartMs = Math.floor(sinceMs / bucketMs) * bucketMs;
  const bucketCount = Math.ceil((untilMs - firstStartMs) / bucketMs);
  if (bucketCount > ACTIVITY_MAX_BUCKETS) {
    const needed = Math.ceil((untilMs - firstStartMs) / 1000 / ACTIVITY_MAX_BUCKETS);
    throw invalidArgument(
      "since",
      `The period from ${new Date(sinceMs).toISOString()} holds ${bucketCount} buckets of ${bucketSeconds} s; at most ${ACTIVITY_MAX_BUCKETS} are allowed.`,
      `Choose a later since, or bucket_seconds of at least ${Math.min(needed, ACTIVITY_MAX_BUCKET_SECONDS)}.`,
    );
  }
  return { firstStartMs, untilMs, bucketSeconds, bucketCount };
}

/** Samples and counters of one bucket while the logs are read. */
class BucketTally {
  allowed = 0;
  denied = 0;
  hitl = 0;
  readonly requestDuration: number[] = [];
  readonly policyEval: number[] = [];
  readonly hitlWait: number[] = [];

  addDecision(record: Record<string, unknown>): void {
    if (record.final_rule === FINAL_RULE_DISCOVERY) return;
    const decision = record.decision;
    if (decision === "allow") this.allowed++;
    else if (decision === "deny") this.denied++;
    else if (decision === "hitl") this.hitl++;
    else return;
    const evalMs = record.policy_eval_ms;
    if (typeof evalMs === "number" && Number.isFinite(evalMs)) this.policyEval.push(evalMs);
    if (decision === "hitl") {
      // The writer omits policy_hitl_ms when it is 0 (a cached approval).
      const waitMs = record.policy_hitl_ms ?? 0;
      if (typeof waitMs === "number" && Number.isFinite(waitMs)) this.hitlWait.push(waitMs);
    }
  }

  addOperation(record: Record<string, unknown>): void {
    if (typeof record.method === "string" && classifyMethod(record.method) === "discovery") return;
    const duration = record.duration;
    const ms = typeof duration === "object" && duration !== null ? (duration as Record<string, unknown>).duration_ms : undefined;
    if (typeof ms === "number" && Number.isFinite(ms)) this.requestDuration.push(ms);
  }

  finish(startMs: number): ActivityBucketData {
    return {
      startMs,
      allowed: this.allowed,
      denied: this.denied,
      hitl: this.hitl,
      requestDuration: activityLatency(this.requestDuration),
      policyEval: activityLatency(this.policyEval),
      hitlWait: activityLatency(this.hitlWait),
    };
  }
}

/** The activity of the proxy whose log dir is `logDir` (`<log_dir>/mcp-acp/proxies/<name>`). */
export async function readActivity(logDir: string, options: ActivityOptions = {}): Promise<ActivityReport> {
  const window = activityWindow(options);
  const bucketMs = window.bucketSeconds * 1000;
  const tallies = Array.from({ length: window.bucketCount }, () => new BucketTally());
  const tallyAt = (timeMs: number): BucketTally | undefined => tallies[Math.floor((timeMs - window.firstStartMs) / bucketMs)];
  const scan = { sinceMs: window.firstStartMs, untilMs: window.untilMs, ...(options.scanCap === undefined ? {} : { scanCap: options.scanCap }) };
  const [decisions, operations] = await Promise.all([
    scanRecentRecords(logFilePath(logDir, logTypeInfo("decisions").fileKey), scan, (record, timeMs) => tallyAt(timeMs)?.addDecision(record)),
    scanRecentRecords(logFilePath(logDir, logTypeInfo("operations").fileKey), scan, (record, timeMs) => tallyAt(timeMs)?.addOperation(record)),
  ]);
  return {
    buckets: tallies.map((tally, i) => tally.finish(window.firstStartMs + i * bucketMs)),
    bucketSeconds: window.bucketSeconds,
    untilMs: window.untilMs,
    scanned: decisions.scanned + operations.scanned,
    truncated: decisions.truncated || operations.truncated,
  };
}
