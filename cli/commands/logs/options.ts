// Options shared by `logs show` and `logs tail`: the proxy, the log type, the record filters of
// spec audit.md §11 (comma lists AND-ed), and the conversion of query errors to CLI errors.
import type { ArgsDef } from "citty";
import { LogQueryError, LogQueryErrorCode, isLogAvailable, logTypeInfo, parseLogType, type FilterName, type LogFilterInput, type LogType } from "../../../lib/audit/query/index.ts";
import { loadProxyConfig } from "../../../lib/config/index.ts";
import type { AppPaths } from "../../../lib/paths/index.ts";
import { CliError, CliErrorCode, failure, usageError } from "../../errors.ts";
import { proxyLogTarget, type ProxyLogTarget } from "../audit/proxy-logs.ts";

export const LOG_TARGET_ARGS = {
  proxy: { type: "string", alias: "p", required: true, description: "The proxy whose logs to read", valueHint: "name" },
  type: {
    type: "string",
    alias: "t",
    required: true,
    description: "decisions, operations, auth, system, config-history, policy-history, client-wire or backend-wire",
    valueHint: "log",
  },
} satisfies ArgsDef;

/** Option name → filter it sets. */
const FILTER_FLAGS: ReadonlyArray<[string, FilterName, string]> = [
  ["session-id", "session_id", "MCP session id (matches session_id or mcp_session_id)"],
  ["bound-session-id", "bound_session_id", "Bound identity session id, exact (decisions, auth)"],
  ["request-id", "request_id", "JSON-RPC request id, exact"],
  ["policy-version", "policy_version", "Policy version, e.g. v3 (decisions, policy-history)"],
  ["config-version", "config_version", "Config version, e.g. v2 (operations, system, config-history)"],
  ["decision", "decision", "allow, deny, hitl; comma list (decisions)"],
  ["hitl-outcome", "hitl_outcome", "allowed, denied, timeout, no_approver; comma list (decisions)"],
  ["event-type", "event_type", "event / event_type values; comma list (auth, system, histories, wire)"],
  ["level", "level", "WARNING, ERROR, CRITICAL…; comma list (system)"],
];

export const FILTER_ARGS: ArgsDef = Object.fromEntries(
  FILTER_FLAGS.map(([flag, , description]) => [flag, { type: "string", description, valueHint: "value" }]),
);

export function filterInput(args: Record<string, unknown>): LogFilterInput {
  const input: LogFilterInput = {};
  for (const [flag, name] of FILTER_FLAGS) {
    const value = args[flag];
    if (typeof value === "string") input[name] = value;
  }
  return input;
}

/** Query errors at the CLI's edge: bad values are usage errors (exit 2), the rest failures (exit 1). */
export function cliErrorOf(error: unknown): unknown {
  if (!(error instanceof LogQueryError)) return error;
  if (error.code === LogQueryErrorCode.InvalidArgument) {
    const flag = FILTER_FLAGS.find(([, name]) => name === error.field)?.[0] ?? (error.field === "limit" ? "lines" : error.field);
    return usageError(flag === undefined ? error.message : `--${flag.replace(/_/g, "-")}: ${error.message}`);
  }
  return new CliError(CliErrorCode.Failed, error.message, error.hint);
}

export interface ResolvedLog {
  target: ProxyLogTarget;
  type: LogType;
}

/** The proxy and log type; a wire log only when the proxy logs at DEBUG. */
export function resolveLog(paths: AppPaths, proxy: string, typeText: string): ResolvedLog {
  let type: LogType;
  try {
    type = parseLogType(typeText);
  } catch (error) {
    throw cliErrorOf(error);
  }
  const target = proxyLogTarget(paths, proxy);
  const info = logTypeInfo(type);
  if (info.debugOnly) {
    const level = loadProxyConfig(paths, target.name).log_level;
    if (!isLogAvailable(type, level === "DEBUG")) {
      throw failure(
        `The ${type.replace(/_/g, "-")} log exists only with log_level DEBUG; proxy '${target.name}' has log_level ${level}.`,
        `Set "log_level": "DEBUG" with 'mcp-acp config edit --proxy ${target.name}' and restart the proxy. Debug logs hold full message payloads.`,
      );
    }
  }
  return { target, type };
}
