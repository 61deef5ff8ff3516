// The debug wire logs (spec audit.md §4.6), written only with log_level DEBUG: what crossed the
// relay, client side (debug/client_wire.jsonl) and backend side (debug/backend_wire.jsonl). Plain
// appends, not chained, not synced: they are for debugging, not evidence. Payloads appear only
// with include_payloads, secrets masked; the backend log replaces bulky content by its size.
import { closeSync, constants, fchmodSync, openSync, statSync, writeSync } from "node:fs";
import { basename, extname } from "node:path";
import {
  WIRE_LOG_FILE_KEYS,
  WIRE_RESOURCES_LISTED,
  type BackendWireRecord,
  type ClientWireRecord,
  type ErrorCategory,
  formatAuditTime,
  logFilePath,
  operationTypeOf,
  redactToolArguments,
  round2,
  truncateForWire,
  wirePayload,
} from "../../../lib/audit/index.ts";
import { ensurePrivateDir } from "../../../lib/paths/index.ts";
import type { ClientBoundMessage, RequestId } from "../relay/jsonrpc.ts";
import type { WireDirection, WireTap } from "../relay/relay.ts";

export interface WireLogOptions {
  logDir: string;
  includePayloads: boolean;
  /** The proxy's session id (the client side is always STDIO). */
  sessionId: string;
  onError: (message: string) => void;
}

interface InFlight {
  method: string;
  receivedAt: number;
  sentAt: number;
}

const PATH_KEYS = ["path", "uri", "file_path", "filepath", "file", "filename"];
const MIME: Record<string, string> = {
  ".txt": "text/plain",
  ".md": "text/markdown",
  ".json": "application/json",
  ".js": "text/javascript",
  ".ts": "text/typescript",
  ".py": "text/x-python",
  ".html": "text/html",
  ".csv": "text/csv",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".pdf": "application/pdf",
};

function obj(value: unknown): Record<string, unknown> | null {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

function idText(id: RequestId | null | undefined): string | undefined {
  return id === null || id === undefined ? undefined : String(id);
}

/** The error_category of spec §4.6 from an error's text. */
export function errorCategoryOf(message: string): ErrorCategory {
  const m = message.toLowerCase();
  if (/timed? ?out|timeout|etimedout/.test(m)) return "timeout";
  if (/econnrefused|econnreset|network|socket|connect|dns|enotfound|fetch failed/.test(m)) return "network";
  if (/unauthori[sz]ed|forbidden|401|403|auth/.test(m)) return "auth";
  if (/enoent|eacces|eperm|eisdir|enotdir|no such file|permission denied|file/.test(m)) return "filesystem";
  if (/json|parse|serial|invalid request/.test(m)) return "serialization";
  if (/backend|server/.test(m)) return "backend";
  if (/memory|enospc|emfile|system/.test(m)) return "system";
  return "unknown";
}

export class WireLogger {
  private readonly options: WireLogOptions;
  private clientFd: number;
  private backendFd: number;
  private readonly inFlight = new Map<RequestId, InFlight>();
  private failed = false;

  constructor(options: WireLogOptions) {
    this.options = options;
    ensurePrivateDir(logFilePath(options.logDir, "debug"));
    this.clientFd = openLog(logFilePath(options.logDir, WIRE_LOG_FILE_KEYS.client));
    this.backendFd = openLog(logFilePath(options.logDir, WIRE_LOG_FILE_KEYS.backend));
  }

  readonly tap: WireTap = (direction: WireDirection, message: ClientBoundMessage): void => {
    const m = obj(message);
    if (m === null) return;
    const method = typeof m.method === "string" ? m.method : undefined;
    const id = m.id as RequestId | null | undefined;
    switch (direction) {
      case "from_client":
        if (method !== undefined) this.fromClient(method, id, m);
        return;
      case "to_backend":
        if (method !== undefined && id !== undefined && id !== null) this.toBackend(method, id, m);
        return;
      case "from_backend":
        if (method === undefined && id !== undefined && id !== null) this.fromBackend(id, m);
        return;
      case "to_client":
        if (method === undefined) this.toClient(id, m);
        return;
    }
  };

  close(): void {
    for (const fd of [this.clientFd, this.backendFd]) {
      if (fd >= 0) closeSync(fd);
    }
    this.clientFd = -1;
    this.backendFd = -1;
  }

  private fromClient(method: string, id: RequestId | null | undefined, m: Record<string, unknown>): void {
    const params = obj(m.params);
    const record: ClientWireRecord = {
      time: formatAuditTime(),
      event: "client_request",
      source: "client",
      direction: "ingress",
      transport: "stdio",
      method,
      ...(idText(id) === undefined ? {} : { request_id: idText(id) }),
      session_id: this.options.sessionId,
      payload_type: id === undefined ? "notification" : "request",
    };
    const payload = wirePayload(m, this.options.includePayloads);
    if (payload !== undefined) record.payload = payload;
    if (method === "initialize" && params !== null) {
      const info = obj(params.clientInfo);
      if (typeof info?.name === "string") record.client_name = info.name;
      if (typeof info?.version === "string") record.client_version = info.version;
      if (typeof params.protocolVersion === "string") record.protocol_version = params.protocolVersion;
    }
    if (id !== undefined && id !== null) this.inFlight.set(id, { method, receivedAt: performance.now(), sentAt: 0 });
    this.append(this.clientFd, record);
  }

  private toBackend(method: string, id: RequestId, m: Record<string, unknown>): void {
    const flight = this.inFlight.get(id);
    if (flight !== undefined) flight.sentAt = performance.now();
    const record: BackendWireRecord = { time: formatAuditTime(), event: "proxy_request", direction: "egress", method, request_id: String(id), session_id: this.options.sessionId };
    const params = obj(m.params);
    if (method === "tools/call" && params !== null) {
      const tool = typeof params.name === "string" ? params.name : "";
      const args = obj(params.arguments) ?? {};
      record.tool_name = tool;
      record.operation_type = operationTypeOf(tool, args);
      const pathKey = PATH_KEYS.find((k) => typeof args[k] === "string");
      const path = pathKey === undefined ? undefined : (args[pathKey] as string);
      if (path !== undefined) {
        record.file_path = path;
        record.file_extension = extname(path);
        record.file_name = basename(path);
        const mime = MIME[extname(path).toLowerCase()];
        if (mime !== undefined) record.mime_type_hint = mime;
        try {
          record.file_size_bytes = statSync(path).size;
        } catch {
          // Not a local file (or not there yet): no size.
        }
      }
      record.arguments = redactToolArguments(args);
    }
    this.append(this.backendFd, record);
  }

  private fromBackend(id: RequestId, m: Record<string, unknown>): void {
    const flight = this.inFlight.get(id);
    const since = flight === undefined || flight.sentAt === 0 ? undefined : round2(performance.now() - flight.sentAt);
    const base = { time: formatAuditTime(), direction: "ingress" as const, request_id: String(id), session_id: this.options.sessionId };
    const method = flight?.method;
    const error = obj(m.error);
    if (error !== null) {
      const message = typeof error.message === "string" ? error.message : "backend error";
      this.append(this.backendFd, { ...base, event: "backend_error", ...(method === undefined ? {} : { method }), ...(since === undefined ? {} : { duration_ms: since }), error: message, error_type: "JsonRpcError", error_category: "backend" });
      return;
    }
    const text = JSON.stringify(m.result ?? null);
    const record: BackendWireRecord = { ...base, event: "backend_response", ...(method === undefined ? {} : { method }), ...(since === undefined ? {} : { duration_ms: since }), payload_length: Buffer.byteLength(text, "utf8"), payload_truncated: truncateForWire(text) };
    const result = obj(m.result);
    if (result !== null) {
      if (Array.isArray(result.tools)) {
        record.count = result.tools.length;
        record.tools = result.tools.map((t) => String(obj(t)?.name ?? ""));
      } else if (Array.isArray(result.resources)) {
        record.count = result.resources.length;
        record.resources = result.resources.slice(0, WIRE_RESOURCES_LISTED);
      }
      if (method === "initialize") {
        record.server_info = result.serverInfo;
        record.capabilities = result.capabilities;
      }
    }
    this.append(this.backendFd, record);
  }

  private toClient(id: RequestId | null | undefined, m: Record<string, unknown>): void {
    const flight = id === null || id === undefined ? undefined : this.inFlight.get(id);
    if (id !== null && id !== undefined) this.inFlight.delete(id);
    const duration = flight === undefined ? undefined : round2(performance.now() - flight.receivedAt);
    const base = {
      time: formatAuditTime(),
      source: "proxy" as const,
      direction: "egress" as const,
      transport: "stdio",
      ...(flight === undefined ? {} : { method: flight.method }),
      ...(idText(id) === undefined ? {} : { request_id: idText(id) }),
      session_id: this.options.sessionId,
      ...(duration === undefined ? {} : { duration_ms: duration }),
    };
    const error = obj(m.error);
    if (error === null) {
      this.append(this.clientFd, { ...base, event: "proxy_response" } satisfies ClientWireRecord);
      return;
    }
    const message = typeof error.message === "string" ? error.message : "error";
    const record: ClientWireRecord = { ...base, event: "proxy_error", error: message, error_type: "JsonRpcError", error_category: errorCategoryOf(message) };
    if (typeof error.code === "number") record.error_code = error.code;
    this.append(this.clientFd, record);
  }

  private append(fd: number, record: ClientWireRecord | BackendWireRecord): void {
    if (fd < 0) return;
    try {
      writeSync(fd, `${JSON.stringify(record)}\n`);
    } catch (error) {
      if (this.failed) return;
      this.failed = true;
      this.options.onError(`Debug wire log write failed (further failures are not reported): ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

function openLog(path: string): number {
  const fd = openSync(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | (constants.O_NOFOLLOW ?? 0), 0o600);
  fchmodSync(fd, 0o600);
  return fd;
}
