// Why a proxy went away: its last shutdowns.jsonl record, if that record is fresh. A proxy that
// stops for a security reason writes the record just before it exits, so a record younger than
// the crash window explains the disconnect; an older one belongs to an earlier run.
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { create } from "@bufbuild/protobuf";
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { join } from "node:path";
import { DisconnectReasonSchema, type DisconnectReason } from "../../../lib/gen/mcpacp/api/v1/event_service_pb.ts";
import { SHUTDOWNS_FILE } from "../../../lib/audit/files.ts";
import { parseAuditTime } from "../../../lib/audit/time.ts";

/** Spec manager.md §13: a shutdown record at most this old explains a disconnect. */
export const CRASH_WINDOW_MS = 30_000;
/** A record stamped slightly in the future (clock adjustments) still counts; further is bogus. */
const CLOCK_SKEW_MS = 5_000;
/** Only the end of the file is read; one record is far smaller than this. */
const TAIL_BYTES = 64 * 1024;

function readTail(path: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch {
    return undefined;
  }
  try {
    const { size } = fstatSync(fd);
    const length = Math.min(size, TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    return buffer.toString("utf8");
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

function lastLine(text: string): string | undefined {
  const lines = text.split("\n").map((line) => line.trim());
  for (let i = lines.length - 1; i >= 0; i--) if (lines[i] !== "") return lines[i];
  return undefined;
}

/**
 * The disconnect reason from `<proxyLogDir>/shutdowns.jsonl`, or undefined when the last record is
 * missing, malformed, or older than `windowMs` (default 30 s). Synchronous on purpose: the
 * disconnect event must be published before anything else can happen (a quick re-attach of the
 * same proxy would otherwise be followed by its predecessor's disconnect).
 */
export function readDisconnectReason(
  proxyLogDir: string,
  options: { now?: number; windowMs?: number } = {},
): DisconnectReason | undefined {
  const text = readTail(join(proxyLogDir, SHUTDOWNS_FILE));
  const line = text === undefined ? undefined : lastLine(text);
  if (line === undefined) return undefined;
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof record !== "object" || record === null || Array.isArray(record)) return undefined;
  const { time, failure_type: failureType, reason, exit_code: exitCode } = record as Record<string, unknown>;
  if (typeof time !== "string" || typeof failureType !== "string" || !Number.isInteger(exitCode)) return undefined;
  const at = parseAuditTime(time);
  if (at === null) return undefined;
  const now = options.now ?? Date.now();
  const age = now - at;
  if (age > (options.windowMs ?? CRASH_WINDOW_MS) || age < -CLOCK_SKEW_MS) return undefined;
  return create(DisconnectReasonSchema, {
    failureType,
    reason: typeof reason === "string" ? reason : "",
    exitCode: exitCode as number,
    time: timestampFromMs(at),
  });
}
