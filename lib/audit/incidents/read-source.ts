// Reads one incident file newest first into entries, tagged as spec audit.md §12 step 2 says.

import { open } from "node:fs/promises";
import { errnoCode } from "../errors.ts";
import { scanLinesBackward } from "../query/backward-reader.ts";
import { LogQueryError, LogQueryErrorCode } from "../query/errors.ts";
import { parseAuditTime } from "../time.ts";
import type { IncidentEntry, IncidentSource } from "./types.ts";

function str(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

function entryOf(source: IncidentSource, record: Record<string, unknown>, offset: number): IncidentEntry {
  // Emergency records carry their proxy's attribution; the other files belong to one proxy.
  const proxyName = source.proxyName ?? str(record.proxy_name);
  const proxyId = source.proxyId ?? str(record.proxy_id);
  const tagged: Record<string, unknown> = { ...record, incident_type: source.type };
  if (tagged.proxy_name === undefined && proxyName !== null) tagged.proxy_name = proxyName;
  if (tagged.proxy_id === undefined && proxyId !== null) tagged.proxy_id = proxyId;
  const time = str(record.time);
  const exit = record.exit_code;
  return {
    id: `${source.type}:${proxyName ?? "-"}:${offset}`,
    type: source.type,
    time,
    timeMs: time === null ? null : parseAuditTime(time),
    proxyName,
    proxyId,
    event: str(record.event),
    failureType: str(record.failure_type) ?? str(record.error_type) ?? (source.type === "emergency" ? str(record.event_type) : null),
    reason: str(record.reason) ?? str(record.error_message) ?? str(record.failure_reason),
    exitCode: typeof exit === "number" && Number.isInteger(exit) ? exit : null,
    record: tagged,
    offset,
  };
}

/** Returns false to stop reading the source. */
export type IncidentVisitor = (entry: IncidentEntry) => boolean;

/** Visits a source's records newest first (a missing file has none); at most `scanCap` lines. */
export async function readIncidentSource(source: IncidentSource, visit: IncidentVisitor, scanCap: number): Promise<{ truncated: boolean }> {
  let handle;
  try {
    handle = await open(source.path, "r");
  } catch (error) {
    if (errnoCode(error) === "ENOENT" || errnoCode(error) === "ENOTDIR") return { truncated: false };
    throw new LogQueryError(LogQueryErrorCode.ReadFailed, `Cannot read ${source.path}: ${error instanceof Error ? error.message : String(error)}`, {
      path: source.path,
      cause: error,
    });
  }
  let scanned = 0;
  let truncated = false;
  try {
    const size = (await handle.stat()).size;
    await scanLinesBackward(handle, size, (line) => {
      if (!line.complete) return true;
      const raw = line.bytes.toString("utf8");
      if (raw.trim() === "") return true;
      if (++scanned > scanCap) {
        truncated = true;
        return false;
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch {
        return true;
      }
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return true;
      return visit(entryOf(source, parsed as Record<string, unknown>, line.offset));
    });
  } finally {
    await handle.close();
  }
  return { truncated };
}
