// LogService: pages of a proxy's log files, newest first, and what log files it has. Reads disk;
// the proxy need not run.
import type { JsonObject, MessageInitShape } from "@bufbuild/protobuf";
import { Code, type ConnectError, type ServiceImpl } from "@connectrpc/connect";
import {
  DEFAULT_LOG_LIMIT,
  isLogAvailable,
  LogQueryError,
  LogQueryErrorCode,
  queryLog,
  readLogMetadata,
} from "../../../../lib/audit/query/index.ts";
import type {
  GetLogMetadataRequest,
  GetLogMetadataResponseSchema,
  LogService,
  QueryLogsRequest,
  QueryLogsResponseSchema,
} from "../../../../lib/gen/mcpacp/api/v1/log_service_pb.ts";
import { apiError, domainError } from "../../gateway/index.ts";
import { guarded, requiredField } from "../common/errors.ts";
import { loadConfigOf, proxyLogDirOf, readableConfig, requireConfiguredProxy } from "../common/proxy-ref.ts";
import type { ManagerApiDeps } from "../deps.ts";
import { FILTER_FIELDS, filterInput, logMetadataMessage, logTypeName, timeRangeName } from "./log-proto.ts";

/** A LogQueryError as the API reports it, with the request field at fault. */
export function logQueryError(error: LogQueryError): ConnectError {
  const field = error.field === undefined ? undefined : (FILTER_FIELDS[error.field] ?? error.field);
  const message = error.hint === undefined ? error.message : `${error.message} ${error.hint}`;
  switch (error.code) {
    case LogQueryErrorCode.InvalidArgument:
    case LogQueryErrorCode.InvalidCursor:
      return domainError("VALIDATION_ERROR", message, {
        violations: field === undefined ? [] : [{ field, description: error.message, reason: error.code === LogQueryErrorCode.InvalidCursor ? "INVALID_CURSOR" : "INVALID_VALUE" }],
        cause: error,
      });
    case LogQueryErrorCode.LogNotAvailable:
      return domainError("LOG_NOT_AVAILABLE", message, { cause: error });
    default:
      return apiError(Code.Internal, "LOG_READ_FAILED", message, { details: error.path === undefined ? {} : { path: error.path }, cause: error });
  }
}

async function queryLogs(deps: ManagerApiDeps, req: QueryLogsRequest): Promise<MessageInitShape<typeof QueryLogsResponseSchema>> {
  const proxy = requireConfiguredProxy(deps, req.proxy);
  const type = logTypeName(req.logType);
  if (type === undefined) throw requiredField("log_type", "one of DECISIONS, OPERATIONS, AUTH, SYSTEM, CONFIG_HISTORY, POLICY_HISTORY, CLIENT_WIRE, BACKEND_WIRE");
  // Only the debug wire logs depend on the config; the others can be read even if it is broken.
  if (!isLogAvailable(type, false)) {
    const config = loadConfigOf(deps, proxy);
    if (!isLogAvailable(type, config.log_level === "DEBUG")) {
      throw domainError("LOG_NOT_AVAILABLE", `Proxy '${proxy.name}' writes the ${type} log only with log_level DEBUG (it is ${config.log_level}); set it with UpdateConfig and restart the proxy.`, {
        details: { proxy: proxy.name, log_type: type },
      });
    }
  }
  const page = await queryLog(proxyLogDirOf(deps, proxy.name), {
    type,
    timeRange: timeRangeName(req.timeRange, "5m"),
    limit: req.limit === 0 ? DEFAULT_LOG_LIMIT : req.limit,
    ...(req.cursor === "" ? {} : { cursor: req.cursor }),
    filters: filterInput(req.filters),
    now: deps.now(),
  });
  return {
    entries: page.entries.map((e) => e.record as JsonObject),
    nextCursor: page.hasMore ? (page.nextCursor ?? "") : "",
    hasMore: page.hasMore,
    totalScanned: BigInt(page.totalScanned),
    logFile: page.logFile,
  };
}

async function getLogMetadata(deps: ManagerApiDeps, req: GetLogMetadataRequest): Promise<MessageInitShape<typeof GetLogMetadataResponseSchema>> {
  const proxy = requireConfiguredProxy(deps, req.proxy);
  const config = readableConfig(deps, proxy.name);
  const metadata = await readLogMetadata(proxyLogDirOf(deps, proxy.name), { debugEnabled: config?.log_level === "DEBUG" });
  return { metadata: logMetadataMessage(metadata) };
}

/** Turns LogQueryErrors (from lib/audit/query and incidents) into API errors. */
export function withLogQueryErrors<A extends unknown[], R>(handler: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args) => {
    try {
      return await handler(...args);
    } catch (error) {
      throw error instanceof LogQueryError ? logQueryError(error) : error;
    }
  };
}

export function logServiceImpl(deps: ManagerApiDeps): Partial<ServiceImpl<typeof LogService>> {
  return {
    queryLogs: guarded("querying a log", withLogQueryErrors((req: QueryLogsRequest) => queryLogs(deps, req))),
    getLogMetadata: guarded("reading log metadata", withLogQueryErrors((req: GetLogMetadataRequest) => getLogMetadata(deps, req))),
  };
}
