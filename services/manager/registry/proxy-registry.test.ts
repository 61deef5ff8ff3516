import { describe, expect, test } from "bun:test";
import { create } from "@bufbuild/protobuf";
import { StateSnapshotSchema } from "../../../lib/gen/mcpacp/common/v1/snapshot_pb.ts";
import { ProxyRegistry, type ProxyRegistration } from "./proxy-registry.ts";

function reg(name: string, n = 1): ProxyRegistration {
  return {
    proxyName: name,
    proxyId: `px_0000000${n}:${name}`,
    instanceId: `0000000${n}_0000000${n}`,
    pid: 100 + n,
    controlSocket: `/run/proxy_${name}.sock`,
    version: "1",
    configSummary: undefined,
    startedAt: undefined,
  };
}

describe("ProxyRegistry", () => {
  test("only the attachment that created an entry removes it", () => {
    const r = new ProxyRegistry();
    r.add(reg("fs"), "att_old");
    const { replaced } = r.add(reg("fs", 2), "att_new");
    expect(replaced?.attachmentId).toBe("att_old");
    expect(r.removeIfOwner("fs", "att_old")).toBeUndefined();
    expect(r.get("fs")?.attachmentId).toBe("att_new");
    expect(r.removeIfOwner("fs", "att_new")?.instanceId).toBe("00000002_00000002");
    expect(r.size).toBe(0);
  });

  test("find by name or id; select applies the 0 / 1 / 2+ rule", () => {
    const r = new ProxyRegistry();
    expect(r.select()).toEqual({ ok: false, reason: "none_attached", attached: [] });
    r.add(reg("web", 2), "a2");
    const one = r.select();
    expect(one.ok && one.entry.proxyName).toBe("web");
    r.add(reg("fs", 1), "a1");
    expect(r.select()).toEqual({ ok: false, reason: "ambiguous", attached: ["fs", "web"] });
    const byId = r.select("px_00000001:fs");
    expect(byId.ok && byId.entry.proxyName).toBe("fs");
    expect(r.select("nope")).toMatchObject({ ok: false, reason: "unknown" });
  });

  test("snapshot views are copies of the cached state", () => {
    const r = new ProxyRegistry();
    const { entry } = r.add(reg("fs"), "a1");
    entry.state.replace(create(StateSnapshotSchema, { clientId: "c", policyVersion: "v1" }));
    const [view] = r.snapshotViews();
    expect(view?.snapshot.clientId).toBe("c");
    expect(view?.instanceId).toBe("00000001_00000001");
    if (view !== undefined) view.snapshot.clientId = "changed";
    expect(r.get("fs")?.state.view().clientId).toBe("c");
  });
});
