/// <reference path="../../../../node_modules/bun-types/test.d.ts" />
import { describe, expect, test } from "bun:test";
import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { IncidentSchema, IncidentType } from "../../../../lib/gen/mcpacp/common/v1/incident_pb.ts";
import {
  badgeOf,
  emptyText,
  FILTERS_KEY,
  incidentTitle,
  isUnread,
  type KeyValueStore,
  readFilters,
  writeFilters,
} from "./incident-view.ts";

function memoryStore(): KeyValueStore & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return { map, getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v) };
}

const at = (iso: string) => create(IncidentSchema, { type: IncidentType.SHUTDOWN, time: timestampFromDate(new Date(iso)), failureType: "audit_failure" });

describe("incidents", () => {
  test("filters persist and a stale proxy falls back to All", () => {
    const store = memoryStore();
    writeFilters(store, { proxy: "fs", type: "shutdown" });
    expect(readFilters(store, ["fs", "web"])).toEqual({ proxy: "fs", type: "shutdown" });
    expect(readFilters(store, ["web"])).toEqual({ proxy: "", type: "shutdown" });
    store.setItem(FILTERS_KEY, '{"proxy": 3, "type": "bogus"}');
    expect(readFilters(store, undefined)).toEqual({ proxy: "", type: "all" });
    store.setItem(FILTERS_KEY, "{");
    expect(readFilters(store, [])).toEqual({ proxy: "", type: "all" });
  });

  test("unread means strictly newer than the previous visit; everything before a first visit", () => {
    const seen = new Date("2026-01-02T00:00:00.000Z");
    expect(isUnread(at("2026-01-01T00:00:00Z"), undefined)).toBe(true);
    expect(isUnread(at("2026-01-02T00:00:00.000Z"), seen)).toBe(false);
    expect(isUnread(at("2026-01-02T00:00:00.001Z"), seen)).toBe(true);
    expect(isUnread(create(IncidentSchema, {}), seen)).toBe(false);
  });

  test("titles: friendly names, title-cased unknowns, emergency prefix", () => {
    expect(incidentTitle(at("2026-01-01T00:00:00Z"))).toBe("Audit log failure");
    expect(incidentTitle(create(IncidentSchema, { type: IncidentType.BOOTSTRAP, event: "config_not_found", failureType: "ConfigError" }))).toBe("Config not found");
    expect(incidentTitle(create(IncidentSchema, { type: IncidentType.SHUTDOWN, failureType: "weird_new_thing" }))).toBe("Weird New Thing");
    expect(incidentTitle(create(IncidentSchema, { type: IncidentType.EMERGENCY, failureType: "decision" }))).toBe("Emergency: Decision record lost");
  });

  test("badges name the type in text and the empty state names the filters", () => {
    expect(badgeOf(IncidentType.BOOTSTRAP)).toEqual({ text: "STARTUP ERROR", tone: "warning" });
    expect(emptyText({ proxy: "fs", type: "shutdown" })).toBe("No shutdowns for fs recorded");
    expect(emptyText({ proxy: "", type: "all" })).toBe("No incidents recorded");
  });
});
