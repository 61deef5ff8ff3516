// CompareConfig: the config this proxy runs with against config.json as it is on disk now. Fields
// are compared as the file names them (dotted paths such as hitl.timeout_seconds; arrays compared
// whole), since a changed file takes effect only when the proxy restarts.
import { create, fromJson, type JsonValue } from "@bufbuild/protobuf";
import { ValueSchema } from "@bufbuild/protobuf/wkt";
import { ConfigError, loadProxyConfig, proxyConfigMessage, type ProxyConfig } from "../../../lib/config/index.ts";
import { type ConfigChange, ConfigChangeSchema, type ConfigComparison, ConfigComparisonSchema } from "../../../lib/gen/mcpacp/common/v1/config_pb.ts";
import type { AppPaths } from "../../../lib/paths/index.ts";
import { RpcCode, RpcError } from "../../../lib/rpc/index.ts";

function leaves(value: JsonValue, prefix: string, out: Map<string, JsonValue>): void {
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0 && prefix !== "") out.set(prefix, value);
    for (const [key, child] of entries) leaves(child, prefix === "" ? key : `${prefix}.${key}`, out);
    return;
  }
  out.set(prefix, value);
}

function fieldsOf(config: ProxyConfig): Map<string, JsonValue> {
  const out = new Map<string, JsonValue>();
  // Through JSON so absent optional fields and file-level names are what is compared.
  leaves(JSON.parse(JSON.stringify(config)) as JsonValue, "", out);
  return out;
}

/** The fields that differ, sorted by name; a side that lacks a field has null. */
export function configChanges(running: ProxyConfig, saved: ProxyConfig): ConfigChange[] {
  const before = fieldsOf(running);
  const after = fieldsOf(saved);
  const names = [...new Set([...before.keys(), ...after.keys()])].sort();
  const changes: ConfigChange[] = [];
  for (const field of names) {
    const a = before.get(field) ?? null;
    const b = after.get(field) ?? null;
    if (JSON.stringify(a) === JSON.stringify(b)) continue;
    changes.push(create(ConfigChangeSchema, { field, runningValue: fromJson(ValueSchema, a), savedValue: fromJson(ValueSchema, b) }));
  }
  return changes;
}

/** Reads config.json now and compares; a file that cannot be loaded is FAILED_PRECONDITION. */
export function compareWithDisk(paths: AppPaths, name: string, running: ProxyConfig, configPath: string): ConfigComparison {
  let saved: ProxyConfig;
  try {
    saved = loadProxyConfig(paths, name);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new RpcError(RpcCode.FAILED_PRECONDITION, `Cannot compare with ${configPath}: ${error.message}. Fix the file ('mcp-acp config validate --proxy ${name}' says what is wrong); the proxy keeps running with the config it started with.`, {
      cause: error,
    });
  }
  const changes = configChanges(running, saved);
  const n = changes.length;
  return create(ConfigComparisonSchema, {
    hasChanges: n > 0,
    changes,
    runningConfig: proxyConfigMessage(running),
    savedConfig: proxyConfigMessage(saved),
    message:
      n === 0
        ? `The running config of proxy '${name}' matches ${configPath}.`
        : `${n} change${n === 1 ? "" : "s"} in ${configPath}; restart proxy '${name}' to apply ${n === 1 ? "it" : "them"}.`,
  });
}
