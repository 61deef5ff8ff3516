import { describe, expect, test } from "bun:test";
import { create } from "@bufbuild/protobuf";
import { ProxyEventSchema, type ProxyEvent } from "../../../lib/gen/mcpacp/common/v1/event_pb.ts";
import { StateSnapshotSchema } from "../../../lib/gen/mcpacp/common/v1/snapshot_pb.ts";
import { ProxyState } from "./proxy-state.ts";

function payload(init: Parameters<typeof create<typeof ProxyEventSchema>>[1]): ProxyEvent["payload"] {
  return create(ProxyEventSchema, init).payload;
}

describe("ProxyState", () => {
  test("pending approvals follow created / resolved / timeout / cancelled events", () => {
    const s = new ProxyState();
    s.replace(create(StateSnapshotSchema, { pending: [{ id: "a" }] }));
    s.apply(payload({ payload: { case: "pendingCreated", value: { approval: { id: "b" } } } }));
    s.apply(payload({ payload: { case: "pendingCreated", value: { approval: { id: "c" } } } }));
    s.apply(payload({ payload: { case: "pendingCreated", value: { approval: { id: "d" } } } }));
    expect(s.view().pending.map((p) => p.id)).toEqual(["a", "b", "c", "d"]);
    s.apply(payload({ payload: { case: "pendingResolved", value: { resolution: { approvalId: "a" } } } }));
    s.apply(payload({ payload: { case: "pendingTimeout", value: { expiry: { approvalId: "b" } } } }));
    s.apply(payload({ payload: { case: "pendingCancelled", value: { expiry: { approvalId: "c" } } } }));
    expect(s.view().pending.map((p) => p.id)).toEqual(["d"]);
  });

  test("cache and stats events replace or trim the cached copies", () => {
    const s = new ProxyState();
    expect(s.hasSnapshot).toBe(false);
    s.apply(payload({ payload: { case: "statsUpdated", value: { requestsTotal: 5n } } }));
    s.apply(
      payload({
        payload: {
          case: "cachedSnapshot",
          value: { ttlSeconds: 600, approvals: [{ subjectId: "u", toolName: "read", path: "/a" }, { subjectId: "u", toolName: "read", path: "/b" }] },
        },
      }),
    );
    s.apply(payload({ payload: { case: "cacheEntryDeleted", value: { subjectId: "u", toolName: "read", path: "/a" } } }));
    expect(s.view().cached?.approvals.map((a) => a.path)).toEqual(["/b"]);
    s.apply(payload({ payload: { case: "cacheCleared", value: { count: 1 } } }));
    expect(s.view().cached?.approvals).toEqual([]);
    expect(s.view().stats?.requestsTotal).toBe(5n);
    s.apply(payload({ payload: { case: "policyReloaded", value: { policyVersion: "v9" } } }));
    expect(s.view().policyVersion).toBe("v9");
  });

  test("a snapshot replaces everything", () => {
    const s = new ProxyState();
    s.apply(payload({ payload: { case: "pendingCreated", value: { approval: { id: "x" } } } }));
    s.replace(create(StateSnapshotSchema, { clientId: "new" }));
    expect(s.hasSnapshot).toBe(true);
    expect(s.view().pending).toEqual([]);
    expect(s.view().clientId).toBe("new");
  });
});
