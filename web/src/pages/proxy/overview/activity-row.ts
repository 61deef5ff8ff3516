// One row of Recent activity from a raw operations.jsonl record.
import type { JsonObject, JsonValue } from "@bufbuild/protobuf";
import { formatClock, truncateLeft, truncateRight } from "../../../state/format.ts";

export interface ActivityRow {
  time: string;
  method: string;
  tool: string;
  ok: boolean;
  detail: string;
  detailFull: string;
  record: JsonObject;
}

function str(v: JsonValue | undefined): string {
  return typeof v === "string" ? v : typeof v === "number" ? String(v) : "";
}

export function activityRow(r: JsonObject): ActivityRow {
  const t = str(r.time) || str(r.timestamp);
  const d = new Date(t);
  const status = str(r.status);
  const ok = status === "" || status.toLowerCase() === "success";
  const src = str(r.source_path);
  const dst = str(r.dest_path);
  const path = src !== "" || dst !== "" ? `${src} → ${dst}` : str(r.file_path);
  const message = str(r.message);
  const detailFull = !ok && message !== "" ? message : path;
  const detail = !ok && message !== "" ? truncateRight(message, 40) : truncateLeft(path, 48);
  return {
    time: Number.isNaN(d.getTime()) ? t : formatClock(d),
    method: str(r.method) || "unknown",
    tool: str(r.tool_name),
    ok,
    detail,
    detailFull,
    record: r,
  };
}
