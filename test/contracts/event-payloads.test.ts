import { describe, expect, test } from "bun:test";
import type { DescField, DescMessage } from "@bufbuild/protobuf";
import { EventSchema } from "../../lib/gen/mcpacp/api/v1/event_service_pb.ts";
import { EventTypeSchema, ProxyEventSchema } from "../../lib/gen/mcpacp/common/v1/event_pb.ts";

// The EventType enum is the single source of truth for event names. The proxy's payload oneof and
// the API's payload oneof are kept field-for-field identical so the manager can forward a proxy
// payload unchanged; these checks keep the three lists from drifting apart.

function payloadFields(schema: DescMessage): Map<string, { number: number; type: string }> {
  const oneof = schema.oneofs.find((o) => o.name === "payload");
  if (oneof === undefined) throw new Error(`${schema.typeName} has no 'payload' oneof`);
  const fields = new Map<string, { number: number; type: string }>();
  for (const f of oneof.fields) fields.set(f.name, { number: f.number, type: fieldTypeName(f) });
  return fields;
}

function fieldTypeName(f: DescField): string {
  return f.fieldKind === "message" ? f.message.typeName : f.fieldKind;
}

const eventNames = EventTypeSchema.values
  .filter((v) => v.number !== 0)
  .map((v) => v.name.replace(/^EVENT_TYPE_/, "").toLowerCase());

describe("event payload contracts", () => {
  const proxyPayloads = payloadFields(ProxyEventSchema);
  const apiPayloads = payloadFields(EventSchema);

  test("every event type has a payload field of the same name in the API event", () => {
    const missing = eventNames.filter((n) => !apiPayloads.has(n));
    expect(missing).toEqual([]);
  });

  test("every payload field names an event type", () => {
    const known = new Set(eventNames);
    expect([...apiPayloads.keys()].filter((n) => !known.has(n))).toEqual([]);
    expect([...proxyPayloads.keys()].filter((n) => !known.has(n))).toEqual([]);
  });

  test("proxy payloads appear in the API event with the same number and type", () => {
    const drift: string[] = [];
    for (const [name, field] of proxyPayloads) {
      const api = apiPayloads.get(name);
      if (api === undefined || api.number !== field.number || api.type !== field.type) {
        drift.push(`${name}: proxy ${field.number}/${field.type} vs api ${api ? `${api.number}/${api.type}` : "missing"}`);
      }
    }
    expect(drift).toEqual([]);
  });
});
