// Counts for the dashboard's incident badge (spec audit.md §12 summary): shutdowns, failed starts
// and emergency records, strictly after `since` when given (records without a time are then
// skipped), and the newest critical instant (shutdowns and emergency records only).

import { existsSync } from "node:fs";
import { invalidArgument } from "../query/errors.ts";
import { parseAuditTime } from "../time.ts";
import { readIncidentSource } from "./read-source.ts";
import type { IncidentSource } from "./types.ts";

export interface IncidentSummary {
  shutdowns: number;
  bootstrap: number;
  emergency: number;
  /** ISO instant of the newest shutdown or emergency record; null when none. */
  latestCriticalAt: string | null;
  /** The global emergency file when it exists. */
  emergencyPath: string | null;
}

export interface IncidentSummaryOptions {
  /** Count only incidents strictly after this instant. */
  since?: Date | string;
  /** Proxy name or id: only its shutdowns and bootstrap records (emergency records always count). */
  proxy?: string;
}

function sinceMs(since: Date | string | undefined): number | null {
  if (since === undefined) return null;
  if (since instanceof Date) return since.getTime();
  const t = parseAuditTime(since.trim());
  if (t === null) throw invalidArgument("since", `Invalid since '${since}': expected a timestamp like 2026-01-31T12:00:00.000Z.`);
  return t;
}

export async function incidentSummary(sources: readonly IncidentSource[], options: IncidentSummaryOptions = {}): Promise<IncidentSummary> {
  const since = sinceMs(options.since);
  const summary: IncidentSummary = { shutdowns: 0, bootstrap: 0, emergency: 0, latestCriticalAt: null, emergencyPath: null };
  let latest = Number.NEGATIVE_INFINITY;
  for (const source of sources) {
    if (source.type === "emergency" && existsSync(source.path)) summary.emergencyPath = source.path;
    if (options.proxy !== undefined && options.proxy !== "" && source.type !== "emergency" && source.proxyName !== options.proxy && source.proxyId !== options.proxy) {
      continue;
    }
    await readIncidentSource(
      source,
      (entry) => {
        if (since !== null && (entry.timeMs === null || entry.timeMs <= since)) return true;
        if (source.type === "shutdown") summary.shutdowns++;
        else if (source.type === "bootstrap") summary.bootstrap++;
        else summary.emergency++;
        if (source.type !== "bootstrap" && entry.timeMs !== null && entry.timeMs > latest) latest = entry.timeMs;
        return true;
      },
      Number.POSITIVE_INFINITY,
    );
  }
  if (latest !== Number.NEGATIVE_INFINITY) summary.latestCriticalAt = new Date(latest).toISOString();
  return summary;
}
