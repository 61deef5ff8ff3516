// CompareConfig: which fields of the running config differ from config.json, as dotted paths with
// both JSON values (null where a side lacks the field).
import { create, fromJson, toJson, type JsonValue } from "@bufbuild/protobuf";
import { ValueSchema } from "@bufbuild/protobuf/wkt";
import { ConfigChangeSchema, type ConfigChange, type ProxyConfig, ProxyConfigSchema } from "../../../../lib/gen/mcpacp/common/v1/config_pb.ts";

function flatten(value: JsonValue, prefix: string, out: Map<string, JsonValue>): void {
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0 && prefix !== "") out.set(prefix, value);
    for (const [key, child] of entries) flatten(child, prefix === "" ? key : `${prefix}.${key}`, out);
    return;
  }
  out.set(prefix, value);
}

function leaves(config: ProxyConfig): Map<string, JsonValue> {
  const out = new Map<string, JsonValue>();
  flatten(toJson(ProxyConfigSchema, config, { useProtoFieldName: true, alwaysEmitImplicit: true }), "", out);
  return out;
}

export function configChanges(running: ProxyConfig, saved: ProxyConfig): ConfigChange[] {
  const before = leaves(running);
  const after = leaves(saved);
  const fields = [...new Set([...before.keys(), ...after.keys()])].sort();
  const changes: ConfigChange[] = [];
  for (const field of fields) {
    const a = before.get(field) ?? null;
    const b = after.get(field) ?? null;
    if (JSON.stringify(a) === JSON.stringify(b)) continue;
    changes.push(create(ConfigChangeSchema, { field, runningValue: fromJson(ValueSchema, a), savedValue: fromJson(ValueSchema, b) }));
  }
  return changes;
}
